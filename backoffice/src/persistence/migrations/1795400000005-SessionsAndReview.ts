import { Table, TableColumn, TableForeignKey } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, instant, int, oneOf, str, text, uuid } from '../migration-columns';

/**
 * Back-office user sessions (bearer tokens stored as SHA-256 hashes, with expiry) and the ingest review
 * queue: tickets refused for good and anomalies of accepted tickets, kept for a person to look at — never
 * silently lost (ARCHITECTURE invariant 4). Categories get their display order (`sort`), part of the
 * category record terminals receive.
 */
export class SessionsAndReview1795400000005 implements MigrationInterface {
  name = 'SessionsAndReview1795400000005';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('category', new TableColumn(int('sort', { default: 0 })));
    await qr.createTable(
      new Table({
        name: 'user_session',
        columns: [
          str('token_hash', 64, { primary: true }),
          uuid('user_id'),
          instant('created_at'),
          instant('expires_at'),
          instant('last_used_at', { nullable: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_user_session_user',
            columnNames: ['user_id'],
            referencedTableName: 'app_user',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [{ name: 'IDX_user_session_user', columnNames: ['user_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ingest_review',
        columns: [
          uuid('id', { primary: true }),
          uuid('terminal_id'),
          uuid('store_id'),
          bigint('seq', { nullable: true }),
          str('ticket_id', 64, { nullable: true }),
          str('kind', 16),
          str('code', 64),
          text('reason'),
          text('payload', { nullable: true }),
          instant('created_at'),
          instant('resolved_at', { nullable: true }),
        ],
        checks: [oneOf('ingest_review', 'kind', ['rejected', 'anomaly'])],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_ingest_review_terminal',
            columnNames: ['terminal_id'],
            referencedTableName: 'terminal',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [
          { name: 'IDX_ingest_review_terminal_seq', columnNames: ['terminal_id', 'seq'] },
          { name: 'IDX_ingest_review_store_created', columnNames: ['store_id', 'created_at'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ingest_review');
    await qr.dropTable('user_session');
    await qr.dropColumn('category', 'sort');
  }
}
