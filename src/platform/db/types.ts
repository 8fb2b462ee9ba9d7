/** One interface over PGlite (embedded, single connection) and node-postgres (pooled). */

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** A parameterised statement, as built by the `sql` tag. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string | SqlStatement, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Tx extends Queryable {
  /** Runs a script of several statements without parameters (migrations, seeds). */
  exec(script: string): Promise<void>;
  /** Runs after COMMIT succeeds (never after a rollback): kick dispatchers, notify listeners. */
  afterCommit(fn: () => void): void;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface TransactionOptions {
  /**
   * A statement without side effects outside the transaction (setting the tenant context), sent
   * together with BEGIN in one round trip before fn runs.
   */
  setup?: SqlStatement;
}

export interface Database extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** BEGIN … COMMIT around fn; ROLLBACK when it throws. Transactions never interleave on PGlite. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  stats(): PoolStats;
  close(): Promise<void>;
}
