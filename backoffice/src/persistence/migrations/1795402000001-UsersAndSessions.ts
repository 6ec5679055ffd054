import { randomUUID } from 'node:crypto';
import { Table, TableForeignKey } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { instant, oneOf, str, uuid } from '../migration-columns';

/**
 * Users and roles (issue 10): a franchisee manager of several companies (`user_company`, filled from
 * `app_user.company_id`), deactivation, TOTP two-factor, one-time invitation/reset/sign-in tokens, and
 * sessions a user can list and revoke one by one (a public `id`, never the token's hash).
 * Plain ALTER TABLE on `app_user` and `user_session`: TypeORM's SQLite addColumn rebuilds the table, and
 * sessions, audit rows and more reference users.
 */
export class UsersAndSessions1795402000001 implements MigrationInterface {
  name = 'UsersAndSessions1795402000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "active" boolean NOT NULL DEFAULT TRUE`);
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "invitation_pending" boolean NOT NULL DEFAULT FALSE`);
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "created_at" varchar(32)`);
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "password_changed_at" varchar(32)`);
    // AES-256-GCM under a server secret; null until enrolment starts.
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "totp_secret" text`);
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "totp_enabled_at" varchar(32)`);
    // The last accepted time step: a code (its step or an earlier one) is never accepted twice.
    await qr.query(`ALTER TABLE "app_user" ADD COLUMN "totp_last_step" bigint`);

    await qr.query(`ALTER TABLE "user_session" ADD COLUMN "id" varchar(36)`);
    await qr.query(`ALTER TABLE "user_session" ADD COLUMN "user_agent" varchar(200)`);
    await qr.query(`ALTER TABLE "user_session" ADD COLUMN "ip" varchar(64)`);
    // TPV_REQUIRE_TOTP_HQ: a session of an HQ user without a second factor may only enrol one.
    await qr.query(`ALTER TABLE "user_session" ADD COLUMN "enrol_only" boolean NOT NULL DEFAULT FALSE`);
    const sessions = (await qr.query(`SELECT token_hash FROM user_session`)) as Array<{ token_hash: string }>;
    const p = (n: number) => (qr.connection.options.type === 'postgres' ? `$${n}` : '?');
    for (const s of sessions) await qr.query(`UPDATE user_session SET id = ${p(1)} WHERE token_hash = ${p(2)}`, [randomUUID(), s.token_hash]);
    await qr.query(`CREATE UNIQUE INDEX "IDX_user_session_id" ON "user_session" ("id")`);

    await qr.createTable(
      new Table({
        name: 'user_company',
        columns: [uuid('user_id', { primary: true }), uuid('company_id', { primary: true })],
        foreignKeys: [
          new TableForeignKey({ name: 'FK_user_company_user', columnNames: ['user_id'], referencedTableName: 'app_user', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ name: 'FK_user_company_company', columnNames: ['company_id'], referencedTableName: 'company', referencedColumnNames: ['id'] }),
        ],
        indices: [{ name: 'IDX_user_company_company', columnNames: ['company_id'] }],
      }),
    );
    await qr.query(`INSERT INTO user_company (user_id, company_id) SELECT id, company_id FROM app_user WHERE role = 'franchisee_manager' AND company_id IS NOT NULL`);

    await qr.createTable(
      new Table({
        name: 'auth_token',
        columns: [
          str('token_hash', 64, { primary: true }),
          str('kind', 16),
          uuid('user_id'),
          instant('created_at'),
          instant('expires_at'),
          instant('used_at', { nullable: true }),
          uuid('created_by', { nullable: true }),
        ],
        checks: [oneOf('auth_token', 'kind', ['invite', 'reset', 'totp_login'])],
        foreignKeys: [new TableForeignKey({ name: 'FK_auth_token_user', columnNames: ['user_id'], referencedTableName: 'app_user', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
        indices: [{ name: 'IDX_auth_token_user', columnNames: ['user_id', 'kind'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('auth_token');
    await qr.dropTable('user_company');
    await qr.query(`DROP INDEX "IDX_user_session_id"`);
    for (const c of ['enrol_only', 'ip', 'user_agent', 'id']) await qr.query(`ALTER TABLE "user_session" DROP COLUMN "${c}"`);
    for (const c of ['totp_last_step', 'totp_enabled_at', 'totp_secret', 'password_changed_at', 'created_at', 'invitation_pending', 'active'])
      await qr.query(`ALTER TABLE "app_user" DROP COLUMN "${c}"`);
  }
}
