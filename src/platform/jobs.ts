/** A background job the server starts and stops before the database closes. */
export interface Job {
  stop(): Promise<void>;
}

/**
 * Runs `work` again `intervalMs` after each run ends, so runs never overlap; a failure goes to
 * `onError` and the next run still comes. `stop` waits for a run in progress.
 */
export function repeatEvery(
  intervalMs: number,
  work: () => Promise<unknown>,
  opts: { onError?: ((err: unknown) => void) | undefined; runAtStart?: boolean } = {},
): Job {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = work()
      .catch((err) => opts.onError?.(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (opts.runAtStart) tick();
  else timer = setTimeout(tick, intervalMs);
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
