/** Cash-session rows (hot-path reads on prepared statements). */
import type { SqliteHandle } from '../persistence/data-source';

export interface SessionRow {
  id: string; number: number; status: 'open' | 'closed'; opened_at: string; opened_by: string; float_cents: number;
  float_count: string | null; closed_at: string | null; closed_by: string | null; counted_cents: number | null;
  expected_cents: number | null; difference_cents: number | null; z_report: string | null;
}

export interface SessionQueries {
  open(): SessionRow | undefined;
  byId(id: string): SessionRow | undefined;
  byNumber(n: number): SessionRow | undefined;
  /** Σ signed cash movements of a session: what should be in the drawer. */
  drawerCents(sessionId: string): number;
}

export function createSessionQueries(db: SqliteHandle): SessionQueries {
  const cols = 'id, number, status, opened_at, opened_by, float_cents, float_count, closed_at, closed_by, counted_cents, expected_cents, difference_cents, z_report';
  const open = db.prepare<[], SessionRow>(`SELECT ${cols} FROM cash_session WHERE status = 'open'`);
  const byId = db.prepare<[string], SessionRow>(`SELECT ${cols} FROM cash_session WHERE id = ?`);
  const byNumber = db.prepare<[number], SessionRow>(`SELECT ${cols} FROM cash_session WHERE number = ?`);
  const drawer = db.prepare<[string], { c: number }>('SELECT COALESCE(SUM(amount_cents), 0) AS c FROM cash_movement WHERE session_id = ?');
  return {
    open: () => open.get(),
    byId: (id) => byId.get(id),
    byNumber: (n) => byNumber.get(n),
    drawerCents: (id) => drawer.get(id)?.c ?? 0,
  };
}
