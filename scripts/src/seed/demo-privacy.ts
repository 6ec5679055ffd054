/**
 * Demo data of data protection (written once: skipped when any consent exists): consents of the demo's
 * customers recorded at HQ and at a till (one withdrawn later, so the history shows it), and a retention
 * policy of 6 years (not run: the job is started from *Solicitudes RGPD*).
 */
import type { DataSource } from 'typeorm';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { all } from '@tpv/backoffice/persistence/sql';
import { recordConsents } from '@tpv/backoffice/privacy/consents';
import { putPolicy } from '@tpv/backoffice/privacy/repository';
import type { DemoFranchise } from './demo-franchise';

const clock = { now: () => Date.now() };

export async function seedDemoPrivacy(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if ((await all(ds.manager, 'SELECT id FROM customer_consent LIMIT 1')).length > 0) return false;
  const hq = f.users.find((u) => u.role === 'hq_admin')!;
  const day = (d: number) => new Date(clock.now() - d * 86_400_000).toISOString();
  await writeTransaction(ds, async (m) => {
    for (const [i, c] of f.customers.slice(0, 4).entries()) {
      await recordConsents(m, clock, { customerId: c.id, consents: [{ purpose: 'e_receipt', granted: true }, { purpose: 'marketing', granted: i % 2 === 0 }], source: i < 2 ? 'backoffice' : 'web', recordedBy: hq.email, givenAt: day(60 - i) });
    }
    const first = f.customers[0];
    if (first) await recordConsents(m, clock, { customerId: first.id, consents: [{ purpose: 'marketing', granted: false }], source: 'web', recordedBy: hq.email, givenAt: day(5), note: 'baja por email' });
    await putPolicy(m, 6, hq.email, day(0));
  });
  return true;
}
