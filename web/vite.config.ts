import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The SPA: built into web/dist and served by the API server; in dev, /api goes to the API on API_PORT. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The web app imports the server's module contracts (TypeBox only) as `@server/modules/<m>/contract`.
  resolve: { alias: { '@server': new URL('../src', import.meta.url).pathname } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: Number(process.env.PORT ?? 3000),
    strictPort: true,
    proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? 3001}` },
  },
});
