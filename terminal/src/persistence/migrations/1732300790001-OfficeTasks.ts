import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks and checklists at the till (issue 16): `office_task` holds HQ's tasks for this store as the change feed
 * brings them (items as JSON; the feed deletes a task once the store has done it), `office_task_check` each item
 * ticked here — once per item, who and when, beside the outbox document that tells HQ.
 */
export class OfficeTasks1732300790001 implements MigrationInterface {
  name = 'OfficeTasks1732300790001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "office_task" (
      "id" text PRIMARY KEY NOT NULL,
      "title" text NOT NULL,
      "kind" text NOT NULL,
      "description" text,
      "due_at" text NOT NULL,
      "items" text NOT NULL,
      "version" integer NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "office_task_check" (
      "task_id" text NOT NULL,
      "item_no" integer NOT NULL,
      "staff_id" text NOT NULL,
      "staff_name" text NOT NULL,
      "done_at" text NOT NULL,
      "document_id" text NOT NULL,
      PRIMARY KEY ("task_id", "item_no"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "office_task_check"');
    await queryRunner.query('DROP TABLE "office_task"');
  }
}
