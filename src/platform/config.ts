import { resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every environment variable the product reads, validated once at start-up.
 * README's configuration table is written from this list; keep them together.
 */
export const ConfigSchema = Type.Object({
  env: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  dataDir: Type.String({ minLength: 1 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  dbPoolMax: Type.Integer({ minimum: 1, maximum: 500 }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  shutdownTimeoutMs: Type.Integer({ minimum: 100 }),
  demoSeed: Type.Boolean(),
  secretKey: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  natsUrl: Type.Optional(Type.String({ pattern: '^nats://' })),
  /** Internal webhook receivers the operator allows by host name, although they resolve to private addresses. */
  webhookAllowedHosts: Type.Array(Type.String({ pattern: '^[A-Za-z0-9.:_-]+$' })),
  /** false, true (any proxy), a hop count, or the proxies' addresses / CIDR ranges. */
  trustProxy: Type.Union([
    Type.Boolean(),
    Type.Integer({ minimum: 1, maximum: 10 }),
    Type.Array(Type.String({ pattern: '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$' }), { minItems: 1 }),
  ]),
});
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const bool = (name: string, v: string): boolean => {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
};

/** TRUST_PROXY: true/false, a number of proxy hops, or a comma-separated list of proxy addresses and CIDR ranges. */
const proxies = (v: string): boolean | number | string[] => {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off|)$/i.test(v)) return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};

const int = (name: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw new ConfigError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};

/** Reads and validates configuration; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const candidate = {
    env: nodeEnv,
    host: env.HOST ?? '127.0.0.1',
    port: int('PORT', env.PORT ?? '3000'),
    // `:memory:` is a throwaway database, not a directory of that name.
    dataDir: env.DATA_DIR === ':memory:' ? ':memory:' : resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    dbPoolMax: int('DB_POOL_MAX', env.DB_POOL_MAX ?? '10'),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS ?? '10000'),
    demoSeed: bool('DEMO_SEED', env.DEMO_SEED ?? 'true'),
    secretKey: env.MEDIFORGE_SECRET_KEY || undefined,
    natsUrl: env.NATS_URL || undefined,
    trustProxy: proxies(env.TRUST_PROXY ?? 'false'),
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ''),
      )
      .filter(Boolean),
  };
  const names: Record<string, string> = {
    env: 'NODE_ENV',
    host: 'HOST',
    port: 'PORT',
    dataDir: 'DATA_DIR',
    databaseUrl: 'DATABASE_URL',
    dbPoolMax: 'DB_POOL_MAX',
    logLevel: 'LOG_LEVEL',
    shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
    demoSeed: 'DEMO_SEED',
    secretKey: 'MEDIFORGE_SECRET_KEY',
    natsUrl: 'NATS_URL',
    trustProxy: 'TRUST_PROXY',
    webhookAllowedHosts: 'WEBHOOK_ALLOWED_HOSTS',
  };
  const first = Value.Errors(ConfigSchema, candidate)[0];
  if (first) {
    const key = first.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    const value = (candidate as Record<string, unknown>)[key];
    throw new ConfigError(`${names[key] ?? key}: ${first.message} (got "${String(value)}")`);
  }
  if (candidate.env === 'production' && !candidate.secretKey) {
    throw new ConfigError('MEDIFORGE_SECRET_KEY is required when NODE_ENV=production (64 hex characters)');
  }
  return candidate as Config;
}
