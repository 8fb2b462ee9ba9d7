import { secretBox } from '../crypto.js';
import { purgeExpiredIdempotencyKeys } from '../http/idempotency.js';
import type { Module, ModuleDeps } from '../module.js';
import { Dispatcher } from './dispatcher.js';
import { natsBridge } from './nats.js';
import { webhookSender } from './webhooks/sender.js';
import { webhookFanOut } from './webhooks/service.js';

const HOUR = 3_600_000;

/**
 * The events job of a server process: the dispatcher with every module's subscriptions, the
 * webhook fan-out and sender, the NATS bridge when NATS_URL is set, and hourly housekeeping.
 */
export function startEvents(deps: ModuleDeps & { modules: readonly Module[]; log: (message: string, err?: unknown) => void }): {
  stop(): Promise<void>;
} {
  const { config, db, log } = deps;
  const dispatcher = new Dispatcher(db, {
    subscriptions: [webhookFanOut, ...deps.modules.flatMap((m) => m.subscriptions ?? [])],
    outlets: config.natsUrl ? [natsBridge({ url: config.natsUrl })] : [],
    pumps: [webhookSender(db, { openSecret: secretBox(config).open, allowedHosts: config.webhookAllowedHosts })],
    log,
  });
  dispatcher.start();
  const housekeeping = setInterval(() => {
    purgeExpiredIdempotencyKeys(db).catch((err) => log('purging expired idempotency keys failed', err));
  }, HOUR);
  housekeeping.unref();
  return {
    async stop() {
      clearInterval(housekeeping);
      await dispatcher.stop();
    },
  };
}
