/**
 * CRM core (issue 15): one customer base for the franchise. Customers created or edited at any till come up
 * as `crm.customer` documents (applied once, checked, published on the feed to every till); HQ lists and
 * searches them, shows the customer page, finds duplicates and merges them, and keeps segments by rules
 * whose membership travels to the tills as the customers' `segmentIds`.
 */
import { TillCustomerSchema } from '@tpv/shared/crm/customer';
import { HttpProblem } from '@tpv/shared/problem';
import type { BackofficeModule } from '../modules/types';
import type { TicketStep } from '../sales-ingest/steps';
import { crmRoutes } from './route';
import { applyTillCustomer, createCrmService } from './service';

export const SEGMENTS_JOB = 'crm.segments.recompute';

/**
 * Tickets naming a customer that HQ merged into another (the till sold before it heard of the merge) land on
 * the survivor: the ticket, its receivable and its open item are moved in the ingest's transaction.
 */
const mergedCustomersStep: TicketStep = {
  id: 'customers.merged',
  async apply(ctx, tickets) {
    const named = [...new Set(tickets.flatMap((t) => [t.customer?.id, ...t.payments.map((p) => (p.method === 'on_account' ? p.customerId : undefined))]).filter((x): x is string => !!x))];
    if (named.length === 0) return;
    const merged = await ctx.sql(`SELECT merged_id, into_id FROM customer_merge WHERE merged_id IN (${named.map(() => '?').join(', ')})`, named);
    for (const r of merged as Array<{ merged_id: string; into_id: string }>) {
      const ids = tickets.map((t) => t.id);
      const list = ids.map(() => '?').join(', ');
      await ctx.sql(`UPDATE sale_ticket SET customer_id = ? WHERE customer_id = ? AND id IN (${list})`, [r.into_id, r.merged_id, ...ids]);
      await ctx.sql(`UPDATE receivable SET customer_id = ? WHERE customer_id = ? AND ticket_id IN (${list})`, [r.into_id, r.merged_id, ...ids]);
      await ctx.sql(`UPDATE open_item SET counterparty_id = ? WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND source_id IN (${list})`, [r.into_id, r.merged_id, ...ids]);
    }
  },
};

export const crmModule: BackofficeModule = {
  id: 'customers',
  routes: (c) => [crmRoutes(c.ds, c.clock, (v) => c.live.gateway?.catalogChanged(null, v))],
  upward: {
    'crm.customer': async (m, ctx, till, doc) => {
      try {
        const r = await applyTillCustomer(m, ctx.clock, till, TillCustomerSchema.parse(doc.payload));
        return { reference: `${r.created ? 'cliente creado / customer created' : 'cliente actualizado / customer updated'} ${r.id}`, feedChanged: r.version > 0 ? [{ storeId: null, version: r.version }] : [] };
      } catch (e) {
        if (e instanceof HttpProblem && e.problem.status < 500) return { rejected: e.problem.detail ?? e.problem.title };
        throw e;
      }
    },
  },
  ticketSteps: [mergedCustomersStep],
  jobs: {
    async [SEGMENTS_JOB](_run, ctx) {
      const r = await createCrmService(ctx.ds, ctx.clock, (v) => ctx.live.gateway?.catalogChanged(null, v)).recompute();
      return { result: r, message: `${r.segments} segmentos · segments, ${r.changedCustomers} clientes cambiados · customers changed` };
    },
  },
};
