import { Table, TableColumn } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { instant, oneOf, str, text, uuid } from '../migration-columns';

const ROLES = ['hq_admin', 'hq_operations', 'hq_accountant', 'franchisee_manager', 'store_manager', 'auditor'];

/**
 * The back-office platform's roles (platform/permissions.ts) replace the first three: `hq` → `hq_admin`,
 * `manager` → `franchisee_manager`; and the audit log every back-office write appends to.
 */
export class RolesAndAudit1795400001000 implements MigrationInterface {
  name = 'RolesAndAudit1795400001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropCheckConstraint('app_user', 'CHK_app_user_role');
    await qr.changeColumn('app_user', 'role', new TableColumn(str('role', 24)));
    await qr.query(`UPDATE app_user SET role = 'hq_admin' WHERE role = 'hq'`);
    await qr.query(`UPDATE app_user SET role = 'franchisee_manager' WHERE role = 'manager'`);
    await qr.createCheckConstraint('app_user', oneOf('app_user', 'role', ROLES));
    await qr.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          uuid('id', { primary: true }),
          instant('at'),
          uuid('actor_id', { nullable: true }),
          str('actor_email', 254, { nullable: true }),
          str('action', 64),
          str('entity', 64),
          str('entity_id', 64),
          uuid('company_id', { nullable: true }),
          uuid('store_id', { nullable: true }),
          text('before_json', { nullable: true }),
          text('after_json', { nullable: true }),
          str('request_id', 64, { nullable: true }),
        ],
        indices: [
          { name: 'IDX_audit_log_at', columnNames: ['at'] },
          { name: 'IDX_audit_log_entity', columnNames: ['entity', 'entity_id', 'at'] },
          { name: 'IDX_audit_log_actor', columnNames: ['actor_id', 'at'] },
          { name: 'IDX_audit_log_company', columnNames: ['company_id', 'at'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_log');
    await qr.dropCheckConstraint('app_user', 'CHK_app_user_role');
    await qr.query(`DELETE FROM user_session WHERE user_id IN (SELECT id FROM app_user WHERE role IN ('hq_operations', 'hq_accountant', 'auditor'))`);
    await qr.query(`DELETE FROM app_user WHERE role IN ('hq_operations', 'hq_accountant', 'auditor')`);
    await qr.query(`UPDATE app_user SET role = 'hq' WHERE role = 'hq_admin'`);
    await qr.query(`UPDATE app_user SET role = 'manager' WHERE role = 'franchisee_manager'`);
    await qr.createCheckConstraint('app_user', oneOf('app_user', 'role', ['hq', 'manager', 'store_manager']));
  }
}
