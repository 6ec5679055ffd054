import { TableColumn, TableForeignKey } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { oneOf, uuid } from '../migration-columns';

/**
 * Store managers: a back-office user scoped to one store (`app_user.store_id`, role `store_manager`) beside
 * HQ (every store) and franchisee managers (every store of their company). The role check is replaced (on
 * SQLite TypeORM rebuilds the table; on PostgreSQL it is a DROP/ADD CONSTRAINT).
 */
export class StoreManagers1795400000301 implements MigrationInterface {
  name = 'StoreManagers1795400000301';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('app_user', new TableColumn(uuid('store_id', { nullable: true })));
    await qr.createForeignKey(
      'app_user',
      new TableForeignKey({ name: 'FK_app_user_store', columnNames: ['store_id'], referencedTableName: 'store', referencedColumnNames: ['id'] }),
    );
    await qr.dropCheckConstraint('app_user', 'CHK_app_user_role');
    await qr.createCheckConstraint('app_user', oneOf('app_user', 'role', ['hq', 'manager', 'store_manager']));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM user_session WHERE user_id IN (SELECT id FROM app_user WHERE role = 'store_manager')`);
    await qr.query(`DELETE FROM app_user WHERE role = 'store_manager'`);
    await qr.dropCheckConstraint('app_user', 'CHK_app_user_role');
    await qr.createCheckConstraint('app_user', oneOf('app_user', 'role', ['hq', 'manager']));
    await qr.dropForeignKey('app_user', 'FK_app_user_store');
    await qr.dropColumn('app_user', 'store_id');
  }
}
