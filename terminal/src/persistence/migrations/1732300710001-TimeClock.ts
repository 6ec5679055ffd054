import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The working-time record at the till (issue 16): each clock event made here with a worker's PIN, kept for
 * good (triggers forbid changing or deleting it) and written in the same local transaction as its
 * `people.clock` document in the outbox, which carries it to HQ exactly once (HQ chains it into the store's
 * record). The till checks a new event against this worker's events made here (terminal/src/people/time-clock.ts).
 */
export class TimeClock1732300710001 implements MigrationInterface {
  name = 'TimeClock1732300710001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "time_clock_event" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "staff_id" varchar(64) NOT NULL,
      "event" varchar(16) NOT NULL CHECK ("event" IN ('clock_in', 'break_start', 'break_end', 'clock_out')),
      "at" varchar(40) NOT NULL,
      "at_ms" integer NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_time_clock_event_staff" ON "time_clock_event" ("staff_id", "at_ms")`);
    await queryRunner.query(`CREATE TRIGGER "time_clock_event_no_update" BEFORE UPDATE ON "time_clock_event" BEGIN SELECT RAISE(ABORT, 'time clock events are never changed'); END`);
    await queryRunner.query(`CREATE TRIGGER "time_clock_event_no_delete" BEFORE DELETE ON "time_clock_event" BEGIN SELECT RAISE(ABORT, 'time clock events are never deleted'); END`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "time_clock_event_no_delete"');
    await queryRunner.query('DROP TRIGGER "time_clock_event_no_update"');
    await queryRunner.query('DROP TABLE "time_clock_event"');
  }
}
