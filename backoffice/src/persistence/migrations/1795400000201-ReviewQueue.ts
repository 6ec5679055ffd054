import { Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { instant, oneOf, str, text, uuid } from '../migration-columns';

const KINDS_BEFORE = ['rejected', 'anomaly'];
/** break: a fiscal record whose link did not verify; gap: tickets held beyond missing seqs; batch: a batch refused for good. */
const KINDS = ['rejected', 'anomaly', 'break', 'gap', 'batch'];

/**
 * The ingest review queue becomes a work list: every item has a status (open until an HQ user re-applies or
 * accepts it, or the system resolves it, e.g. a gap that filled), who resolved it and how, and every decision
 * on an item is kept in `review_decision` (who, when, what, outcome) — failed re-applies too.
 */
export class ReviewQueue1795400000201 implements MigrationInterface {
  name = 'ReviewQueue1795400000201';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropCheckConstraint('ingest_review', 'CHK_ingest_review_kind');
    await qr.createCheckConstraint('ingest_review', oneOf('ingest_review', 'kind', KINDS));
    await qr.addColumns('ingest_review', [
      new TableColumn(str('status', 16, { default: 'open' })),
      new TableColumn(str('resolved_by', 254, { nullable: true })),
      new TableColumn(text('resolution', { nullable: true })),
    ]);
    await qr.createCheckConstraint('ingest_review', oneOf('ingest_review', 'status', ['open', 'accepted', 'reapplied', 'resolved']));
    await qr.createIndex('ingest_review', new TableIndex({ name: 'IDX_ingest_review_status_created', columnNames: ['status', 'created_at'] }));
    await qr.createTable(
      new Table({
        name: 'review_decision',
        columns: [
          uuid('id', { primary: true }),
          uuid('review_id'),
          uuid('user_id'),
          str('user_email', 254),
          str('action', 16),
          str('outcome', 16),
          text('detail', { nullable: true }),
          instant('at'),
        ],
        checks: [oneOf('review_decision', 'action', ['reapply', 'accept']), oneOf('review_decision', 'outcome', ['reapplied', 'accepted', 'failed'])],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_review_decision_review',
            columnNames: ['review_id'],
            referencedTableName: 'ingest_review',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [{ name: 'IDX_review_decision_review', columnNames: ['review_id', 'at'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('review_decision');
    await qr.dropIndex('ingest_review', 'IDX_ingest_review_status_created');
    await qr.dropCheckConstraint('ingest_review', 'CHK_ingest_review_status');
    await qr.dropColumns('ingest_review', ['resolution', 'resolved_by', 'status']);
    // Items of the new kinds cannot stay under the old constraint.
    await qr.query(`DELETE FROM ingest_review WHERE kind NOT IN (${KINDS_BEFORE.map((k) => `'${k}'`).join(', ')})`);
    await qr.dropCheckConstraint('ingest_review', 'CHK_ingest_review_kind');
    await qr.createCheckConstraint('ingest_review', oneOf('ingest_review', 'kind', KINDS_BEFORE));
  }
}
