import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { EventDef, PermissionDef, Vocabulary } from './contract.js';
import type { Database, SqlStatement, Tx } from './db/index.js';
import { registerSignable } from './esign/signatures.js';
import type { Signable } from './esign/types.js';
import type { Subscription } from './events/types.js';
import type { Job } from './jobs.js';

export interface ModuleDeps {
  config: Config;
  db: Database;
  /** Every permission a route may declare: the platform's and all modules'. */
  permissions: readonly PermissionDef[];
  /** Audited table → the read permission of its owner: reading its history through the trail needs that too. */
  auditReaders: ReadonlyMap<string, string>;
  /** Referring column → how the referred records are named (every module's `recordNames`). */
  recordNames?: ReadonlyMap<string, RecordNames>;
}

/** How a background job reports a failure: into the server's log, with the error. */
export type JobLog = (message: string, err: unknown) => void;

/** What the demo seed of each module receives: the tenant and its first site. */
export interface DemoSeed {
  tenantId: string;
  siteId: string;
  /** Messages for the operator starting the product (e.g. the demo login). */
  notes: string[];
}

export type { PermissionDef } from './contract.js';

/** What a module's commands (`mediforge <module> …`) get from the command line. */
export interface CliContext {
  /** Opens the configured database for one command and closes it after. */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** The tenant with this code, or every tenant when none is given. */
  tenantsNamed(db: Database, code: string | undefined): Promise<Array<{ id: string; code: string; name: string }>>;
  /** Every permission a role can grant. */
  permissions(): PermissionDef[];
}

/**
 * A module's face to the composition root (src/server.ts, src/cli.ts): everything the module adds
 * is registered here, so adding a module is one line in src/modules/index.ts. Platform code
 * knows this shape, never a module.
 */
export interface Module {
  name: string;
  /** Permissions this module's routes declare; the identity module builds roles from them. */
  permissions?: readonly PermissionDef[];
  /**
   * The audited tables this module owns, each with the permission that reads it: a person reads
   * a record's history or as-of view only with that permission too (§11.10(d)).
   */
  auditedTables?: Readonly<Record<string, string>>;
  /**
   * How the records this module owns are named where another record refers to them, by the
   * referring column (`item_id`, `supplier_id`): a batch look-up of code and name, so a history
   * shows "LUER-M — Luer connector" instead of an id.
   */
  recordNames?: Readonly<Record<string, RecordNames>>;
  /** The events it publishes (its contract's catalogue): the docs' event catalogue is built from them. */
  events?: Readonly<Record<string, EventDef>>;
  /** Value lists whose values the screens name, by catalog prefix: the translation check reads them. */
  vocabulary?: Vocabulary;
  /** The record types it lets people sign; registered by the composition root, not on import. */
  signables?: readonly Signable[];
  /** Its operator commands (`mediforge <module> …`). */
  commands?(program: Command, cli: CliContext): void;
  /** Root-scope hooks and decorators (e.g. the identity module installs the request guard). */
  register?(app: FastifyInstance, deps: ModuleDeps): Promise<void> | void;
  /** HTTP routes, registered under /api/v1. */
  routes?(api: FastifyInstance, deps: ModuleDeps): Promise<void> | void;
  /** Reactions to domain events, delivered at least once and in order per aggregate (src/platform/events). */
  subscriptions?: readonly Subscription[];
  /** Background work started with the server and stopped before the database closes; `log` reports its failures. */
  start?(deps: ModuleDeps & { log: JobLog }): Promise<Job> | Job;
  /** Realistic demo data for a new tenant, inside the seed's transaction and tenant context. */
  seedDemo?(tx: Tx, seed: DemoSeed): Promise<void>;
}

/** Code and name of records by id; ids not found (or not readable) are left out. */
export type RecordNames = (tx: Tx, ids: readonly string[]) => Promise<ReadonlyArray<{ id: string; code: string; name: string }>>;

/** Record names by one query selecting `id, code, name` for the ids, e.g. ``(ids) => sql`… WHERE id = ANY(${ids}::uuid[])` ``. */
export const namesFrom =
  (query: (ids: readonly string[]) => SqlStatement): RecordNames =>
  async (tx, ids) =>
    (await tx.query<{ id: string; code: string; name: string }>(query(ids))).rows;

/** The names of records by id, looked up once per distinct id in one query (none when there is nothing to name). */
export async function namesById(
  tx: Tx,
  lookup: RecordNames | undefined,
  ids: Iterable<string>,
): Promise<Map<string, { id: string; code: string; name: string }>> {
  const unique = [...new Set(ids)];
  return new Map((lookup && unique.length ? await lookup(tx, unique) : []).map((r) => [r.id, r]));
}

/** The permission catalog: platform permissions plus every module's; a name may be declared once. */
export function buildPermissionCatalog(platform: readonly PermissionDef[], modules: readonly Module[]): PermissionDef[] {
  const all = [...platform, ...modules.flatMap((m) => m.permissions ?? [])];
  const seen = new Set<string>();
  for (const p of all) {
    if (seen.has(p.name)) throw new Error(`permission ${p.name} is declared twice`);
    seen.add(p.name);
  }
  return all;
}

/** Who may read each audited table's history: platform tables plus every module's; a table is owned once. */
export function buildAuditReaders(platform: Readonly<Record<string, string>>, modules: readonly Module[]): Map<string, string> {
  const readers = new Map<string, string>();
  for (const tables of [platform, ...modules.map((m) => m.auditedTables ?? {})]) {
    for (const [table, permission] of Object.entries(tables)) {
      if (readers.has(table)) throw new Error(`audited table ${table} is declared twice`);
      readers.set(table, permission);
    }
  }
  return readers;
}

/** Every module's record names by referring column; a column is named by one module only. */
export function buildRecordNames(platform: Readonly<Record<string, RecordNames>>, modules: readonly Module[]): Map<string, RecordNames> {
  const names = new Map<string, RecordNames>();
  for (const columns of [platform, ...modules.map((m) => m.recordNames ?? {})]) {
    for (const [column, lookup] of Object.entries(columns)) {
      if (names.has(column)) throw new Error(`the records a ${column} refers to are named twice`);
      names.set(column, lookup);
    }
  }
  return names;
}

/** Makes every module's signable record types known to the signature kernel of this process (idempotent). */
export function registerSignables(modules: readonly Module[]): void {
  for (const mod of modules) for (const signable of mod.signables ?? []) registerSignable(signable);
}
