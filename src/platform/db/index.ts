import type { Config } from '../config.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './types.js';

export * from './migrate.js';
export * from './sql.js';
export type * from './types.js';

/** PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR (or memory). */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.dbPoolMax);
  return openPglite(config.dataDir === ':memory:' ? undefined : config.dataDir);
}
