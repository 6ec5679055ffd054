/**
 * The ingest's ledger port: what one batch writes, as plain rows (snake_case columns as in the migrations),
 * and the engine interface that reads and writes them inside one database transaction. The SQLite and
 * PostgreSQL adapters implement it in `persistence/ledger/` (the only place with SQL); the rules that decide
 * what to write stay in this folder (`validate.ts`, `apply.ts`, `service.ts`).
 */
export interface TerminalState {
  id: string;
  storeId: string;
  lastAckedSeq: number;
  lastFiscalHash: string | null;
  revoked: boolean;
  /** Lowest seq waiting in ingest_hold (null when none). */
  minHeldSeq: number | null;
  /** HQ's codes for the till and its store (the till's series are spelled from them) and its chain identity. */
  code: string;
  storeCode: string;
  installation: string;
  companyNif: string;
  /** The store's company (owner of the stock the tickets move). */
  companyId: string;
}

export interface TicketRow {
  id: string;
  terminal_id: string;
  store_id: string;
  seq: number;
  kind: string;
  series: string;
  number: number;
  fiscal_number: string;
  issued_at: string;
  business_date: string;
  cashier_id: string | null;
  customer_id: string | null;
  session_id: string | null;
  total_cents: number;
  tax_cents: number;
  discount_cents: number;
  original_ticket_id: string | null;
  document: string;
  received_at: string;
  chain_ok: boolean;
}
export interface LineRow {
  ticket_id: string;
  line_no: number;
  product_id: string;
  units: number;
  grams: number | null;
  total_cents: number;
  tax_rate_bp: number;
}
export interface PaymentRow {
  ticket_id: string;
  idx: number;
  method: string;
  amount_cents: number;
}
export interface FiscalRow {
  terminal_id: string;
  chain_position: number;
  record_kind: string;
  ticket_id: string | null;
  hash: string;
  previous_hash: string | null;
  verified: boolean;
  break_reason: string | null;
}
export interface MovementRow {
  id: string;
  /** The store that sold (a stock location). */
  location_id: string;
  product_id: string;
  delta: number;
  reason: 'sale' | 'return';
  ticket_id: string;
  line_no: number;
  at: string;
}
export interface StockDeltaRow {
  location_id: string;
  /** The store's company: stock_level keeps its owner (the weighted average sums a company's on-hand). */
  company_id: string;
  product_id: string;
  delta: number;
  updated_at: string;
}
/** Net quantity sold (sales − returns) per store, product and week: the restocking rollup (`sales_week`). */
export interface SalesWeekRow {
  location_id: string;
  /** The week's Monday, `YYYY-MM-DD`, from the ticket's business date. */
  week: string;
  product_id: string;
  quantity: number;
}
/**
 * Net base without IVA (total − IVA/recargo) and ticket counts per store and business date, sales and returns
 * apart (returns negative, as their tickets): the daily rollup (`sales_day`) the fee run and the reports read.
 */
export interface SalesDayRow {
  store_id: string;
  business_date: string;
  sales_count: number;
  sales_base_cents: number;
  sales_tax_cents: number;
  returns_count: number;
  returns_base_cents: number;
  returns_tax_cents: number;
}
/** The tickets' tax breakdown per till session, business date and rate (`sales_tax_session`, what the daily sales entry posts). */
export interface SalesTaxSessionRow {
  terminal_id: string;
  session_id: string;
  business_date: string;
  iva_rate_bp: number;
  re_rate_bp: number;
  store_id: string;
  base_cents: number;
  iva_cents: number;
  re_cents: number;
}
/** What paid for them per method (cash net of change; on account per customer, '' otherwise) (`sales_pay_session`). */
export interface SalesPaySessionRow {
  terminal_id: string;
  session_id: string;
  business_date: string;
  method: string;
  customer_id: string;
  store_id: string;
  amount_cents: number;
}
export interface CashSessionRow {
  terminal_id: string;
  session_id: string;
  totals: string;
  updated_at: string;
}
export interface ReceivableRow {
  id: string;
  customer_id: string;
  store_id: string;
  ticket_id: string;
  amount_cents: number;
  due_date: string;
}
/** A simplified ticket replaced by an F3 issued at a till (`ticket_substitution`). */
export interface SubstitutionRow {
  ticket_id: string;
  invoice_ticket_id: string;
  fiscal_number: string;
  issue_date: string;
  created_at: string;
}
/**
 * rejected: a ticket refused for good (occupies its seq); anomaly: an accepted ticket HQ should look at;
 * break: a fiscal record whose link did not verify; gap: tickets held beyond missing seqs; batch: a batch
 * refused for good (nothing written).
 */
export type ReviewKind = 'rejected' | 'anomaly' | 'break' | 'gap' | 'batch';
export type ReviewStatus = 'open' | 'accepted' | 'reapplied' | 'resolved';

/** One review item as the ledger reads it back (for a decision). */
export interface StoredReview extends ReviewRow {
  status: ReviewStatus;
}

export interface ReviewDecisionRow {
  id: string;
  review_id: string;
  user_id: string;
  user_email: string;
  action: 'reapply' | 'accept';
  outcome: 'reapplied' | 'accepted' | 'failed';
  detail: string | null;
  at: string;
}

export interface ReviewRow {
  id: string;
  terminal_id: string;
  store_id: string;
  seq: number | null;
  ticket_id: string | null;
  kind: ReviewKind;
  code: string;
  reason: string;
  payload: string | null;
  created_at: string;
}
export interface HoldRow {
  terminal_id: string;
  seq: number;
  payload: string;
  received_at: string;
}

export interface LedgerWrites {
  tickets: TicketRow[];
  lines: LineRow[];
  payments: PaymentRow[];
  fiscal: FiscalRow[];
  movements: MovementRow[];
  /** Aggregated per (store, product), sorted: row locks are always taken in the same order. */
  stock: StockDeltaRow[];
  /** Added to `sales_week`, one row per (store, week, product), sorted like `stock`. */
  salesWeeks: SalesWeekRow[];
  /** Added to `sales_day`, one row per (store, business date), sorted by date. */
  salesDays: SalesDayRow[];
  /** Added to `sales_tax_session` / `sales_pay_session` (accounting's daily sales), sorted by key. */
  salesTax?: SalesTaxSessionRow[];
  salesPay?: SalesPaySessionRow[];
  /**
   * (store, product) of `salesWeeks` rows for a week before the current one (HQ's clock, UTC): a late ticket
   * changed weeks restocking's demand statistics may already hold (`restock_demand_stale`). Sorted, distinct.
   */
  lateDemand?: Array<{ location_id: string; product_id: string }>;
  cash: CashSessionRow[];
  receivables: ReceivableRow[];
  /** Tickets replaced by the F3s of the batch. */
  substitutions: SubstitutionRow[];
  reviews: ReviewRow[];
  holds: HoldRow[];
  /** Delete holds with seq ≤ this (applied now). */
  releaseHeldUpTo: number | null;
  /** Open gap items of the terminal with seq ≤ this are resolved (the missing seqs arrived). */
  resolveGapsUpTo: number | null;
  /** The terminal's new ack point and chain head; null when nothing of it moves (a re-applied ticket). */
  terminal: { id: string; lastAckedSeq: number; lastFiscalHash: string | null; lastSeenAt: string } | null;
}

/** One database transaction of the ingest, engine-specific. */
export interface LedgerTx {
  lockTerminal(terminalId: string): Promise<TerminalState | undefined>;
  /** Ids stored in sale_ticket for these (terminal, seq). */
  storedIdsBySeq(terminalId: string, seqs: number[]): Promise<Map<number, string>>;
  /** Seqs of this terminal rejected for good (ingest_review kind 'rejected'), with their code. */
  rejectedSeqs(terminalId: string, seqs: number[]): Promise<Map<number, string>>;
  /** Which of these ticket ids already exist in sale_ticket. */
  existingTicketIds(ids: string[]): Promise<Set<string>>;
  /** Which of these `series/number` already exist in sale_ticket (unique per series). */
  existingFiscalNumbers(pairs: Array<{ series: string; number: number }>): Promise<Set<string>>;
  /** Of these ticket ids, those already replaced by an F3 (till or HQ), with the F3's fiscal number. */
  substitutedTickets(ids: string[]): Promise<Map<string, string>>;
  /** Held tickets with seq > afterSeq, ascending. */
  held(terminalId: string, afterSeq: number, limit: number): Promise<Array<{ seq: number; payload: string }>>;
  /** Which product ids exist at HQ (for stock movements' foreign key). */
  existingProducts(ids: string[]): Promise<Set<string>>;
  existingCustomers(ids: string[]): Promise<Set<string>>;
  sessionTotals(terminalId: string, sessionIds: string[]): Promise<Map<string, string>>;
  /** Seq of the terminal's open gap item, if any. */
  openGapSeq(terminalId: string): Promise<number | null>;
  write(w: LedgerWrites): Promise<void>;
  /** Adds a review item unless an open one of the same terminal, kind, code and reason exists; true when added. */
  addReviewOnce(r: ReviewRow): Promise<boolean>;
  /** A review item, locked for a decision. */
  review(id: string): Promise<StoredReview | undefined>;
  /** The fiscal record of a terminal at a chain position, and the last one before it. */
  fiscalAt(terminalId: string, position: number): Promise<{ hash: string; verified: boolean } | undefined>;
  fiscalBefore(terminalId: string, position: number): Promise<{ position: number; hash: string } | undefined>;
  /** A re-verified link: the record and its ticket are marked verified. */
  markLinkVerified(terminalId: string, position: number): Promise<void>;
  /**
   * Other modules' posting steps (steps.ts) write their own tables here: `?` placeholders (numbered for
   * PostgreSQL), booleans bound as 1/0 on SQLite, the rows of a SELECT / RETURNING (none for other writes).
   */
  sql<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Records a decision; with `status`, the item is closed with it. */
  decide(d: ReviewDecisionRow, close: { status: Exclude<ReviewStatus, 'open'>; resolution: string | null } | null): Promise<void>;
}

export interface LedgerEngine {
  readonly engine: 'sqlite' | 'postgres';
  /** Highest contiguous seq applied for a terminal (0 when unknown), read outside any ingest transaction. */
  ackedSeq(terminalId: string): Promise<number>;
  /** Runs fn in one transaction (retrying on serialization failures where the engine has them). */
  transaction<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T>;
  /** Stops background work (SQLite checkpointer); the DataSource stays open. */
  close(): Promise<void>;
}
