import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { hstore } from '@electric-sql/pglite/contrib/hstore';
import { toStatement } from './sql.js';
import type { Database, QueryResult, SqlStatement, TransactionOptions, Tx } from './types.js';
import { isoTime } from './values.js';

/**
 * PGlite has one connection, so every transaction holds it exclusively: a second request waits
 * for the first to COMMIT instead of interleaving its statements inside the first's transaction.
 */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { hstore } });
  return openPgliteFrom(pg);
}

/**
 * Same value parsing as node-postgres: bigint → number, numeric → string, date → text,
 * timestamptz → ISO-8601 UTC text as `Date.prototype.toISOString()` writes it.
 */
const PARSERS = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => v,
  [types.DATE]: (v: string) => v,
  // PGlite's own reading of the text (a Date), written the one way every module used to write it.
  [types.TIMESTAMPTZ]: (v: string) => isoTime(v, (text) => new Date(text)),
};

export async function openPgliteFrom(pg: PGlite): Promise<Database> {
  await pg.waitReady;
  return new PgliteDatabase(pg);
}

class PgliteDatabase implements Database {
  readonly dialect = 'pglite' as const;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;
  #inTx = new AsyncLocalStorage<true>();

  constructor(private readonly pg: PGlite) {}

  async query<T>(text: string | SqlStatement, params?: unknown[]): Promise<QueryResult<T>> {
    return this.#exclusive(() => run<T>(this.pg, toStatement(text, params)));
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#exclusive(async () => {
      const callbacks: Array<() => void> = [];
      const tx: Tx = {
        query: (text, params) => run(this.pg, toStatement(text, params)),
        exec: async (script) => {
          await this.pg.exec(script);
        },
        afterCommit: (cb) => callbacks.push(cb),
      };
      await this.pg.query('BEGIN');
      let result: T;
      try {
        if (options.setup) await tx.query(options.setup);
        result = await this.#inTx.run(true, () => fn(tx));
        await this.pg.query('COMMIT');
      } catch (err) {
        await this.pg.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      for (const cb of callbacks) cb();
      return result;
    });
  }

  stats() {
    return { total: 1, idle: this.#waiting === 0 ? 1 : 0, waiting: this.#waiting };
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    if (!this.pg.closed) await this.pg.close();
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#inTx.getStore()) {
      // Waiting for our own transaction would never end: fail loudly instead of hanging.
      return Promise.reject(new Error('database used outside the open transaction: pass tx through'));
    }
    this.#waiting++;
    const next = this.#queue.then(() => {
      this.#waiting--;
      return fn();
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

async function run<T>(pg: PGlite, stmt: SqlStatement): Promise<QueryResult<T>> {
  const res = await pg.query<T>(stmt.text, stmt.values as unknown[], { parsers: PARSERS });
  // PGlite reports affectedRows 0 for SELECT; node-postgres reports the rows returned.
  return { rows: res.rows, rowCount: Math.max(res.affectedRows ?? 0, res.rows.length) };
}
