import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data repair for the write-scoping fix (issue #9): before it, staff moved to another store (or narrowed from
 * company-wide to one store) and notices moved to another store were never deleted from the old store's
 * tills, so they stayed active there with their old PIN. For every (staff or notice, store) whose last feed
 * change was an upsert although the row no longer belongs to that store, append a delete for that store.
 * Self-contained SQL (no app code): migrations are history. `down` leaves the appended changes: they are
 * facts the tills may already have applied.
 */
export class ScopeLeftovers1795400000302 implements MigrationInterface {
  name = 'ScopeLeftovers1795400000302';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const p = (i: number) => (pg ? `$${i}` : '?');
    const latest = (await qr.query(
      `SELECT c.entity, c.entity_id, c.store_id, c.op FROM change_log c
        WHERE c.entity IN ('staff', 'notice') AND c.store_id IS NOT NULL
          AND c.version = (SELECT MAX(d.version) FROM change_log d WHERE d.entity = c.entity AND d.entity_id = c.entity_id AND d.store_id = c.store_id)`,
    )) as Array<{ entity: string; entity_id: string; store_id: string; op: string }>;
    if (latest.length === 0) return;
    const staff = (await qr.query(`SELECT id, company_id, store_id FROM staff`)) as Array<{ id: string; company_id: string; store_id: string | null }>;
    const stores = (await qr.query(`SELECT id, company_id FROM store`)) as Array<{ id: string; company_id: string }>;
    const notices = (await qr.query(`SELECT id, store_id FROM notice`)) as Array<{ id: string; store_id: string | null }>;
    const staffById = new Map(staff.map((s) => [s.id, s]));
    const noticeById = new Map(notices.map((n) => [n.id, n]));
    const companyOf = new Map(stores.map((s) => [s.id, s.company_id]));
    const belongs = (entity: string, id: string, storeId: string): boolean => {
      if (entity === 'staff') {
        const s = staffById.get(id);
        if (!s) return false;
        return s.store_id === null ? companyOf.get(storeId) === s.company_id : s.store_id === storeId;
      }
      const n = noticeById.get(id);
      return n !== undefined && (n.store_id === null || n.store_id === storeId);
    };
    const at = new Date().toISOString();
    const stale = latest.filter((c) => c.op === 'upsert' && !belongs(c.entity, c.entity_id, c.store_id));
    stale.sort((a, b) => (a.entity + a.entity_id + a.store_id < b.entity + b.entity_id + b.store_id ? -1 : 1));
    for (const c of stale) {
      await qr.query(`INSERT INTO change_log (entity, entity_id, op, store_id, payload, created_at) VALUES (${p(1)}, ${p(2)}, 'delete', ${p(3)}, NULL, ${p(4)})`, [
        c.entity,
        c.entity_id,
        c.store_id,
        at,
      ]);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
