import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs with no variables set: embedded database in ./data on port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', env: 'development', dbPoolMax: 10, demoSeed: true });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('keeps DATA_DIR=:memory: as a throwaway database instead of a directory of that name', () => {
    expect(loadConfig({ DATA_DIR: ':memory:' }).dataDir).toBe(':memory:');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DEMO_SEED: 'maybe' }, /DEMO_SEED must be true or false/],
    [{ MEDIFORGE_SECRET_KEY: 'short' }, /MEDIFORGE_SECRET_KEY/],
    [{ NODE_ENV: 'production' }, /MEDIFORGE_SECRET_KEY is required/],
  ])('stops start-up with a message naming the bad variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts a production configuration with a 256-bit secret key', () => {
    const c = loadConfig({ NODE_ENV: 'production', MEDIFORGE_SECRET_KEY: 'ab'.repeat(32), DATABASE_URL: 'postgres://db/mf' });
    expect(c).toMatchObject({ env: 'production', databaseUrl: 'postgres://db/mf' });
  });
});
