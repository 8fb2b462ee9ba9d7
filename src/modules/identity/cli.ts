import { type Command, InvalidArgumentError } from 'commander';
import { migrate } from '../../platform/db/index.js';
import type { CliContext } from '../../platform/module.js';
import { createUserAsOperator, deactivateUserAsOperator, listRolesAsOperator, resetPasswordAsOperator } from './operator.js';

/** `mediforge user …` and `mediforge role list`: what an operator does for people without the web app. */
export function identityCommands(program: Command, cli: CliContext): void {
  const user = program.command('user').description('people who sign in (users are deactivated, never deleted)');
  user
    .command('create')
    .description('create a user and print a one-time password, to be changed at first login')
    .requiredOption('--tenant <code>', 'tenant code')
    .requiredOption('--login <login>', 'login, lower case; never reused')
    .requiredOption('--name <full name>', 'printed name, as shown on signatures')
    .option('--email <email>', 'e-mail address')
    .option(
      '--language <lang>',
      'preferred language: en or zh-CN',
      (v) => {
        if (v !== 'en' && v !== 'zh-CN') throw new InvalidArgumentError('must be en or zh-CN');
        return v;
      },
      'en',
    )
    .option('--role <name...>', 'role names, e.g. --role "QA Manager" Operator', [])
    .option('--site <code>', 'limit the roles to this site')
    .action(
      async (o: {
        tenant: string;
        login: string;
        name: string;
        email?: string;
        language: 'en' | 'zh-CN';
        role: string[];
        site?: string;
      }) => {
        await cli.withDb(async (db) => {
          await migrate(db);
          const { user: u, oneTimePassword } = await createUserAsOperator(db, o.tenant, {
            login: o.login,
            fullName: o.name,
            email: o.email,
            language: o.language,
            roles: o.role,
            site: o.site,
          });
          console.log(`created user ${u.login} (${u.fullName}) with roles: ${u.roles.map((r) => r.roleName).join(', ') || 'none'}`);
          console.log(`one-time password: ${oneTimePassword}  (must be changed at first login)`);
        });
      },
    );
  user
    .command('reset-password')
    .description('replace a password with a one-time password, end the sessions and unlock the account')
    .requiredOption('--tenant <code>', 'tenant code')
    .requiredOption('--login <login>', 'login')
    .action(async (o: { tenant: string; login: string }) => {
      await cli.withDb(async (db) => {
        await migrate(db);
        const { oneTimePassword } = await resetPasswordAsOperator(db, o.tenant, o.login);
        console.log(`one-time password for ${o.login}: ${oneTimePassword}  (must be changed at next login)`);
      });
    });
  user
    .command('deactivate')
    .description('deactivate a user: sessions and API tokens end at once; the login stays taken')
    .requiredOption('--tenant <code>', 'tenant code')
    .requiredOption('--login <login>', 'login')
    .requiredOption('--reason <text>', 'why, for the audit trail')
    .action(async (o: { tenant: string; login: string; reason: string }) => {
      await cli.withDb(async (db) => {
        await migrate(db);
        const u = await deactivateUserAsOperator(db, o.tenant, o.login, o.reason);
        console.log(`deactivated ${u.login} (${u.fullName}) at ${u.deactivatedAt}`);
      });
    });

  const role = program.command('role').description('roles and the permissions they grant');
  role
    .command('list')
    .description('list the roles of a tenant with the permissions they grant today')
    .requiredOption('--tenant <code>', 'tenant code')
    .action(async (o: { tenant: string }) => {
      await cli.withDb(async (db) => {
        await migrate(db);
        for (const r of await listRolesAsOperator(db, o.tenant, cli.permissions())) {
          console.log(
            `${r.name}${r.requiresTotp ? '  [TOTP required]' : ''}\n  ${r.description}\n  ${r.permissions.join(', ') || '(none yet)'}`,
          );
        }
      });
    });
}
