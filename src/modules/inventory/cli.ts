import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../../platform/module.js';
import { systemContext, withTenant } from '../../platform/tenancy/index.js';
import { expireTenantsLots } from './expiry.js';
import { verifyBalances } from './stock.js';

/** `mediforge inventory verify|expire`: the ledger check and the expiry job, by hand. */
export function inventoryCommands(program: Command, cli: CliContext): void {
  const inventory = program.command('inventory').description('lots, serials and the stock ledger');

  inventory
    .command('verify')
    .description('prove every stock balance equals the sum of its ledger movements; exits 1 naming each difference')
    .option('--tenant <code>', 'only this tenant')
    .action(async (o: { tenant?: string }) => {
      await cli.withDb(async (db) => {
        let failed = false;
        for (const t of await cli.tenantsNamed(db, o.tenant)) {
          const r = await withTenant(db, systemContext(t.id, 'inventory.verify'), (tx) => verifyBalances(tx));
          console.log(`${t.code}: ${r.differences.length ? 'FAILED' : 'ok'} — ${r.keys} balances checked against the ledger`);
          for (const d of r.differences) {
            console.log(`  item ${d.itemId} lot ${d.lotId ?? '-'} location ${d.locationId}: ledger ${d.ledger}, balance ${d.balance}`);
          }
          failed ||= r.differences.length > 0;
        }
        if (failed) process.exitCode = 1;
      });
    });

  inventory
    .command('expire')
    .description('mark lots past their expiry date as expired (the job the server runs every hour)')
    .option('--tenant <code>', 'only this tenant')
    .option('--date <yyyy-mm-dd>', "as of this date instead of today (the earliest of the tenant's sites' calendars)", (v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('expected YYYY-MM-DD');
      return v;
    })
    .action(async (o: { tenant?: string; date?: string }) => {
      await cli.withDb(async (db) => {
        for (const { tenant, expired } of await expireTenantsLots(db, await cli.tenantsNamed(db, o.tenant), o.date)) {
          console.log(
            `${tenant.code}: ${expired.length} lot(s) expired${expired.length ? `: ${expired.map((l) => l.number).join(', ')}` : ''}`,
          );
        }
      });
    });
}
