/**
 * Demo data of loyalty (issue 15), written once (skipped when a programme exists), after the tills'
 * starting feed version so the programme and the members' cards reach the tills through the change feed:
 * the programme (1 point per euro, 100 points = 1 €, at least 100 per redemption, 24 months, offline 500
 * per redemption and 1,000 a day), two members with a loyalty card, and points earned at both franchisees
 * (so the liability and the settlement pages have something to show).
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_PROGRAMME, LOYALTY_PROGRAMME_ID, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { customerPayload } from '@tpv/backoffice/catalog/payloads';
import { appendChange } from '@tpv/backoffice/persistence/change-log';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { all, bool, exec } from '@tpv/backoffice/persistence/sql';
import { post, sqlOf } from '@tpv/backoffice/loyalty/ledger';
import type { DemoFranchise } from './demo-franchise';

export const DEMO_PROGRAMME: LoyaltyProgramme = {
  ...DEFAULT_PROGRAMME, name: 'Puntos Mercado Verde', pointsPerEuro: 1, pointValueCents: 1, minRedeemPoints: 100, expiryMonths: 24, offlineCapPoints: 500, offlineDailyCapPoints: 1000,
};

export async function seedDemoLoyalty(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if ((await all(ds.manager, 'SELECT id FROM loyalty_programme')).length > 0) return false;
  const at = new Date().toISOString();
  const [ruiz, levante] = [f.companies.filter((c) => c.kind === 'franchisee')[0]!, f.companies.filter((c) => c.kind === 'franchisee')[1]!];
  const members = [
    { customer: f.customers[1]!, card: '2900000000011', earned: [[ruiz.id, 1250], [levante.id, 300]] as const },
    { customer: f.customers[3]!, card: '2900000000028', earned: [[levante.id, 4800]] as const },
  ];
  await writeTransaction(ds, async (m) => {
    await exec(m, `INSERT INTO loyalty_programme (id, rules, updated_at, updated_by) VALUES (?, ?, ?, NULL)`, [LOYALTY_PROGRAMME_ID, JSON.stringify(DEMO_PROGRAMME), at]);
    await appendChange(m, { entity: 'loyalty_programme', entityId: LOYALTY_PROGRAMME_ID, op: 'upsert', payload: DEMO_PROGRAMME, createdAt: at });
    for (const x of members) {
      await exec(m, `UPDATE customer SET loyalty_card = ? WHERE id = ?`, [x.card, x.customer.id]);
      const [c] = await all<Record<string, unknown>>(m, `SELECT * FROM customer WHERE id = ?`, [x.customer.id]);
      const payload = customerPayload({
        id: x.customer.id, nif: (c!.nif as string | null) ?? null, name: String(c!.name), reRegime: bool(c!.re_regime), creditLimitCents: Number(c!.credit_limit_cents), active: bool(c!.active),
        email: (c!.email as string | null) ?? null, loyaltyCard: x.card,
      });
      await appendChange(m, { entity: 'customer', entityId: x.customer.id, op: 'upsert', payload, createdAt: at });
      for (const [companyId, points] of x.earned) {
        await post(sqlOf(m), { id: crypto.randomUUID(), customerId: x.customer.id, kind: 'earn', points, companyId, day: at.slice(0, 10), note: 'demo', at });
      }
    }
  });
  return true;
}
