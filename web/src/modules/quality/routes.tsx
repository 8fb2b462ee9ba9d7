/** The quality screens, under the signed-in app (see app/routes.tsx); lazily loaded on first visit. */
export const qualityRoutes = [] as const;
