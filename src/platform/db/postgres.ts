import { createHash } from 'node:crypto';
import pg from 'pg';
import { toStatement } from './sql.js';
import type { Database, QueryResult, SqlStatement, TransactionOptions, Tx } from './types.js';
import { isoTime } from './values.js';

const INT8 = 20;
const DATE = 1082;
const TIMESTAMPTZ = 1184;

/** node-postgres's own reading of timestamptz text (a Date). */
const asDate = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (v: string) => Date;

/**
 * Same parsing as PGlite: bigint → number, numeric → string (decimal), date → 'YYYY-MM-DD',
 * timestamptz → ISO-8601 UTC text as `Date.prototype.toISOString()` writes it.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    if (oid === TIMESTAMPTZ) return (v: string) => isoTime(v, asDate);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * A parameterised statement as a named prepared statement: each connection parses and plans a
 * statement text once and then only binds and executes it. Most of the application's SQL is
 * fixed text with parameters, so the set of names stays small; on a busy request (a stock
 * transfer is seven statements) parse and plan were a third of the server's time.
 */
function prepared(stmt: { text: string; values: unknown[] }): pg.QueryConfig {
  if (stmt.values.length === 0) return { text: stmt.text };
  return { name: `mf_${createHash('sha1').update(stmt.text).digest('base64url')}`, text: stmt.text, values: stmt.values };
}

export function openPostgres(url: string, poolMax: number): Database {
  // Pipelining lets a transaction send statements that do not wait for each other's answers
  // (BEGIN and the tenant context; independent reads) in one round trip; awaited statements run
  // one after the other as before.
  const pool = new pg.Pool({ connectionString: url, max: poolMax, types: typeParsers as pg.CustomTypesConfig, pipeline: true });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new PostgresDatabase(pool);
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T>(text: string | SqlStatement, params?: unknown[]): Promise<QueryResult<T>> {
    const res = await this.pool.query(prepared(toStatement(text, params)));
    return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    const callbacks: Array<() => void> = [];
    const tx: Tx = {
      query: async <R>(text: string | SqlStatement, params?: unknown[]) => {
        const res = await client.query(prepared(toStatement(text, params)));
        return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
      },
      exec: async (script) => {
        await client.query(script);
      },
      afterCommit: (cb) => callbacks.push(cb),
    };
    let broken = false;
    try {
      // BEGIN and the setup in one round trip. Should BEGIN fail, the setup ran outside a
      // transaction, where it has no effect, and nothing else is sent.
      const begin = client.query('BEGIN');
      const setup = options.setup ? client.query(prepared(options.setup)) : undefined;
      await Promise.all([begin, setup]);
      const result = await fn(tx);
      await client.query('COMMIT');
      for (const cb of callbacks) cb();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  stats() {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
