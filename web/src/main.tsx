import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import './i18n';
import { createTheme, localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, onSessionExpired } from './api/client';
import { createAppRouter } from './app/router';
import { notifyError } from './components/notify';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
});

/** Failed requests show a toast, except a 401 (handled as an expired session) and those a form shows itself. */
const quiet = (err: unknown, meta: Record<string, unknown> | undefined) =>
  (err instanceof ApiError && err.status === 401) || meta?.handlesErrors === true;

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => quiet(err, query.meta) || notifyError(err) }),
  mutationCache: new MutationCache({ onError: (err, _v, _c, mutation) => quiet(err, mutation.meta) || notifyError(err) }),
  defaultOptions: {
    queries: { retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});
const router = createAppRouter(queryClient);

// A session that ends mid-work (expiry, logout elsewhere, revocation) returns to sign-in and back.
onSessionExpired(() => {
  const { pathname, href } = router.state.location;
  // Only a session that existed can end; a first visit is sent to sign-in by the route guard.
  if (pathname === '/login' || !queryClient.getQueryData(['me'])) return;
  queryClient.removeQueries({ queryKey: ['me'] });
  void router.navigate({ to: '/login', search: { redirect: href, expired: true } });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      colorSchemeManager={localStorageColorSchemeManager({ key: 'mf.color-scheme' })}
      defaultColorScheme="auto"
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
