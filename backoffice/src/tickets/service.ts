/**
 * Ticket use cases: the search within the caller's stores, one ticket's page (scope checked on the row) and
 * its PDF copy. Read-only: nothing here writes, so there is nothing to audit.
 */
import type { DataSource } from 'typeorm';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import type { TicketDetail, TicketSearchPage, TicketSearchQuery } from '@tpv/shared/wire/http/tickets';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { forbidden, notFound } from '../auth/http';
import { canAccessStore, visibleStoreIds, type AuthUser } from '../auth/service';
import { bool, TicketRepository } from './repository';

/** Invoice types that name their recipient (full invoices and their credit notes). */
const FULL_INVOICE_TYPES: ReadonlySet<string> = new Set(['F1', 'F3', 'R1', 'R2', 'R3', 'R4']);

export class TicketService {
  private readonly repo: TicketRepository;
  constructor(private readonly ds: DataSource) {
    this.repo = new TicketRepository(ds);
  }

  async search(user: AuthUser, q: TicketSearchQuery, opts: { exportRows?: number } = {}): Promise<TicketSearchPage> {
    const stores = await visibleStoreIds(this.ds, user);
    if (q.storeId && !(await canAccessStore(this.ds, user, q.storeId))) throw forbidden('That store is outside your scope.');
    const limit = opts.exportRows ?? q.pageSize;
    const offset = opts.exportRows ? 0 : (q.page - 1) * q.pageSize;
    const r = await this.repo.search(q, stores, { limit, offset, count: !opts.exportRows });
    return { items: r.items, page: q.page, pageSize: q.pageSize, total: r.total, totalIsLowerBound: r.totalIsLowerBound, hasMore: r.hasMore };
  }

  /** The ticket's page; 404 when unknown, 403 when it belongs to a store outside the caller's scope. */
  async detail(user: AuthUser, id: string): Promise<TicketDetail> {
    const t = await this.repo.ticketRow(id);
    if (!t) throw notFound(`ticket ${id}`);
    if (!(await canAccessStore(this.ds, user, String(t.store_id)))) throw forbidden('This ticket belongs to a store outside your scope.');
    const [lineRows, paymentRows, returns, original] = await Promise.all([
      this.repo.lines(id),
      this.repo.payments(id),
      this.repo.returnsOf(id),
      t.original_ticket_id ? this.repo.ref(String(t.original_ticket_id)) : Promise.resolve(null),
    ]);
    let doc: Partial<TicketDocument> = {};
    try {
      doc = JSON.parse(String(t.document)) as Partial<TicketDocument>;
    } catch {
      doc = {};
    }
    const docLines = Array.isArray(doc.lines) ? doc.lines : [];
    const lines = lineRows.map((l, i) => {
      const d = docLines[Number(l.line_no) - 1] ?? docLines[i];
      // What came off the line: its own discount, promotions and points (benefits), its share of the ticket's.
      const discount = d ? d.lineDiscount + (d.benefitDiscount ?? 0) + d.ticketDiscountShare : 0;
      const label = d?.discount ? (d.discount.kind === 'percent' ? `-${d.discount.bp / 100} %` : `-${(d.discount.cents / 100).toFixed(2)} €`) : null;
      return {
        lineNo: Number(l.line_no),
        productId: String(l.product_id),
        sku: l.sku === null || l.sku === undefined ? null : String(l.sku),
        description: d?.description ?? (l.name === null || l.name === undefined ? String(l.product_id) : String(l.name)),
        units: l.grams === null || l.grams === undefined ? Number(l.units) : null,
        grams: l.grams === null || l.grams === undefined ? null : Number(l.grams),
        unitPriceCents: d?.unitPrice ?? null,
        grossCents: d?.gross ?? null,
        discountCents: discount,
        discountLabel: label,
        totalCents: Number(l.total_cents),
        taxRateBp: Number(l.tax_rate_bp),
      };
    });
    const taxes = Array.isArray(doc.taxBreakdown)
      ? doc.taxBreakdown.map((r) => ({ rateBp: r.rate, reRateBp: r.reRate, exemption: r.exemption ?? null, baseCents: r.base, ivaCents: r.ivaCuota, reCents: r.reCuota }))
      : [];
    const docPayments = Array.isArray(doc.payments) ? doc.payments : [];
    const payments = paymentRows.map((p, i) => {
      const d = docPayments[i];
      const reference = d ? (d.method === 'card' ? d.reference : d.method === 'voucher' ? d.code : null) : null;
      return { method: p.method, amountCents: Number(p.amount_cents), reference };
    });
    const companyNif = String(t.company_nif);
    const f = doc.fiscal;
    const issued = f?.invoiceType !== undefined && FULL_INVOICE_TYPES.has(f.invoiceType) ? doc.customer : undefined;
    const total = Number(t.total_cents);
    const fiscal =
      t.fiscal_hash === null || t.fiscal_hash === undefined
        ? null
        : {
            chainPosition: Number(t.chain_position),
            recordKind: String(t.record_kind),
            hash: String(t.fiscal_hash),
            previousHash: t.previous_hash === null || t.previous_hash === undefined ? null : String(t.previous_hash),
            verified: bool(t.verified),
            breakReason: t.break_reason === null || t.break_reason === undefined ? null : String(t.break_reason),
            generatedAt: f?.generatedAt ?? null,
            invoiceType: f?.invoiceType ?? null,
            qrUrl: f
              ? buildFiscalQrUrl({ environment: 'production', nif: f.issuerNif, invoiceNumber: f.invoiceNumber, issueDate: f.issueDate, totalCents: total })
              : null,
          };
    const ref = (r: Record<string, unknown>) => ({ id: String(r.id), fiscalNumber: String(r.fiscal_number), issuedAt: String(r.issued_at), totalCents: Number(r.total_cents) });
    return {
      id: String(t.id),
      kind: t.kind === 'return' ? 'return' : 'sale',
      seq: Number(t.seq),
      fiscalNumber: String(t.fiscal_number),
      series: String(t.series),
      number: Number(t.number),
      issuedAt: String(t.issued_at),
      businessDate: String(t.business_date),
      receivedAt: String(t.received_at),
      company: { id: String(t.company_id), legalName: String(t.legal_name), tradeName: t.trade_name === null ? null : String(t.trade_name), nif: companyNif },
      store: { id: String(t.store_id), code: String(t.store_code), name: String(t.store_name), address: t.store_address === null ? null : String(t.store_address) },
      terminal: { id: String(t.terminal_id), code: String(t.terminal_code), name: String(t.terminal_name), installation: String(t.installation) },
      cashier: t.cashier_id ? { id: String(t.cashier_id), name: String(t.cashier_name ?? doc.cashier?.name ?? t.cashier_id) } : null,
      // A full invoice names its recipient as issued (an erased customer's invoices keep it); other tickets, the customer as it is now.
      customer: t.customer_id
        ? issued
          ? { id: String(t.customer_id), name: issued.name, nif: issued.nif ?? null }
          : { id: String(t.customer_id), name: String(t.customer_name ?? doc.customer?.name ?? t.customer_id), nif: (t.customer_nif as string | null) ?? doc.customer?.nif ?? null }
        : null,
      lines,
      taxes,
      totals: {
        subtotalCents: doc.totals?.subtotal ?? total + Number(t.discount_cents),
        discountCents: Number(t.discount_cents),
        taxCents: Number(t.tax_cents),
        totalCents: total,
        changeCents: doc.change ?? 0,
      },
      payments,
      fiscal,
      original: original ? ref(original) : null,
      returns: returns.map(ref),
    };
  }
}
