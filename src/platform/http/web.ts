import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../errors.js';

/** `web/dist` of the checkout: the same path from `src/platform/http` and `dist/platform/http`. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const API_PATHS = /^\/(api|health|metrics)(\/|$|\?)/;

/**
 * Serves the built single-page app on the API's port. Hashed files under /assets are cached for
 * a year (their name changes with their content); index.html is never cached, so a deployment
 * is picked up on the next navigation. Any other GET outside the API answers index.html and
 * lets the client router decide; API paths keep their problem+json 404.
 */
export async function serveWebApp(app: FastifyInstance, distDir: string = WEB_DIST): Promise<void> {
  const indexHtml = join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Mediforge API is running. The web app is not built: run "npm run build" and restart, or "npm run dev".'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: distDir,
    index: false,
    wildcard: false,
    setHeaders(reply, path) {
      const hashed = path.startsWith(join(distDir, 'assets'));
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const hidden = { schema: { hide: true } } as const;
  const spaFallback = async (request: FastifyRequest, reply: FastifyReply) => {
    if (API_PATHS.test(request.url)) throw new NotFound(`no route ${request.method} ${request.url}`, { code: 'error.route' });
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  app.get('/', hidden, spaFallback);
  app.get('/*', hidden, spaFallback);
}
