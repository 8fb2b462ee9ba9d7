import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../src/platform/db/index.js';
import { snapshotPath, writeMigratedSnapshot } from './db.js';

/**
 * Migrates once before the suite: the PostgreSQL database named by DATABASE_URL, or a PGlite
 * snapshot every test file then loads instead of replaying migrations.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const db = await openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 2 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    console.log(`tests run against PostgreSQL (${new URL(url).pathname.slice(1)})`);
    return () => undefined;
  }
  const path = snapshotPath();
  await writeMigratedSnapshot(path);
  project.provide('pgliteSnapshot', path);
  console.log('tests run against embedded PGlite');
  return () => rmSync(path, { force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}
