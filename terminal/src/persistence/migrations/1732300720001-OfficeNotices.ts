import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Office notices at the till (issue 16): the feed's `notice` now carries the English text, a priority, the
 * first moment it shows and the till roles it is for (JSON list, empty: everyone). `notice_read`: who
 * confirmed reading which notice here, once per person (the confirmation's outbox document id beside it).
 */
export class OfficeNotices1732300720001 implements MigrationInterface {
  name = 'OfficeNotices1732300720001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const col of ['"title_en" text', '"body_en" text', `"priority" text NOT NULL DEFAULT 'normal'`, '"starts_at" text', `"roles" text NOT NULL DEFAULT '[]'`]) {
      await queryRunner.query(`ALTER TABLE "notice" ADD COLUMN ${col}`);
    }
    await queryRunner.query(`CREATE TABLE "notice_read" (
      "notice_id" text NOT NULL,
      "staff_id" text NOT NULL,
      "read_at" text NOT NULL,
      "document_id" text NOT NULL,
      PRIMARY KEY ("notice_id", "staff_id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "notice_read"');
    for (const col of ['roles', 'starts_at', 'priority', 'body_en', 'title_en']) await queryRunner.query(`ALTER TABLE "notice" DROP COLUMN "${col}"`);
  }
}
