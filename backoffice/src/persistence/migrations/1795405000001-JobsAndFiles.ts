import { Table } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, bool, instant, int, oneOf, str, text, uuid } from '../migration-columns';

/**
 * Platform jobs and files (issue 10): a durable job table that several back-office nodes share (a node claims
 * a job under a lease; a node that dies leaves an expired lease another node re-claims), and the files area's
 * index (the bytes live in a folder under the data dir, see platform/files).
 */
export class JobsAndFiles1795405000001 implements MigrationInterface {
  name = 'JobsAndFiles1795405000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'stored_file',
        columns: [
          uuid('id', { primary: true }),
          str('name', 255),
          str('media_type', 128),
          bigint('size_bytes'),
          str('sha256', 64),
          str('storage_key', 255),
          str('purpose', 32),
          uuid('company_id', { nullable: true }),
          uuid('store_id', { nullable: true }),
          uuid('created_by', { nullable: true }),
          instant('created_at'),
        ],
        indices: [
          { name: 'IDX_stored_file_created', columnNames: ['created_at'] },
          { name: 'IDX_stored_file_owner', columnNames: ['created_by', 'created_at'] },
          { name: 'IDX_stored_file_company', columnNames: ['company_id', 'created_at'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'job',
        columns: [
          uuid('id', { primary: true }),
          str('kind', 64),
          str('status', 16),
          bigint('progress_done', { default: 0 }),
          bigint('progress_total', { nullable: true }),
          str('message', 200, { nullable: true }),
          text('params_json', { nullable: true }),
          text('result_json', { nullable: true }),
          uuid('result_file_id', { nullable: true }),
          text('error', { nullable: true }),
          uuid('created_by', { nullable: true }),
          uuid('company_id', { nullable: true }),
          uuid('store_id', { nullable: true }),
          int('attempts', { default: 0 }),
          int('max_attempts', { default: 3 }),
          str('lease_owner', 64, { nullable: true }),
          instant('lease_expires_at', { nullable: true }),
          bool('cancel_requested', { default: false }),
          instant('created_at'),
          instant('started_at', { nullable: true }),
          instant('finished_at', { nullable: true }),
          instant('updated_at'),
        ],
        checks: [oneOf('job', 'status', ['queued', 'running', 'succeeded', 'failed', 'cancelled'])],
        indices: [
          // The claim: oldest queued (or lease-expired running) job first.
          { name: 'IDX_job_status_created', columnNames: ['status', 'created_at'] },
          { name: 'IDX_job_owner', columnNames: ['created_by', 'created_at'] },
          { name: 'IDX_job_company', columnNames: ['company_id', 'created_at'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('job');
    await qr.dropTable('stored_file');
  }
}
