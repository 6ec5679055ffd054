/**
 * Typed client of the terminal's local API (docs/terminal-api.md). Every failure becomes an `ApiError`
 * carrying the problem+json `code` (network failures get `NETWORK_UNREACHABLE`, status 0). Answers are
 * normalised into the shapes below so the screens read one vocabulary (integer cents, grams, units).
 */
import type { Discount } from '@tpv/shared/ticket';

export type { Discount };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }
}

/** A 403 whose code asks for a supervisor's PIN (e.g. CASH_DIFFERENCE_NEEDS_SUPERVISOR, SUPERVISOR_PIN_INVALID). */
export function needsSupervisor(e: unknown): e is ApiError {
  return e instanceof ApiError && (e.status === 403 || e.status === 401) && /SUPERVISOR/.test(e.code);
}

// ---------------------------------------------------------------------------------------------------------
// Shapes the screens use
// ---------------------------------------------------------------------------------------------------------

export type Role = 'cashier' | 'supervisor' | 'manager' | string;
export interface Cashier { id: string; name: string; role: Role }

export type Quantity = { kind: 'units'; units: number } | { kind: 'weight'; grams: number };

export interface CartLine {
  id: string;
  productId: string;
  description: string;
  quantity: Quantity;
  /** Tax-included price per unit or per kg. */
  unitPrice: number;
  taxRate: number;
  discount?: Discount | undefined;
  gross: number;
  lineDiscount: number;
  /** Promotions' (and points') shares taken off this line. */
  benefitDiscount: number;
  ticketDiscountShare: number;
  total: number;
  priceOverridden: boolean;
}

/** A promotion the cart gets and what it saves. */
export interface CartPromotion { id: string; name: string; cents: number }

export interface Totals { subtotal: number; lineDiscounts: number; ticketDiscount: number; discountTotal: number; total: number; taxTotal: number }
export interface TaxRow { rate: number; reRate: number; gross: number; base: number; ivaCuota: number; reCuota: number }
export interface CustomerRef {
  id: string; name: string; nif?: string | undefined; reRegime?: boolean | undefined; creditLimitCents?: number | undefined; balanceCents?: number | undefined;
  phone?: string | undefined; email?: string | undefined; loyaltyCard?: string | undefined;
}
/** A customer registered at the till (CRM): everything but the name optional; consents per purpose. */
export interface NewCustomer { name: string; nif?: string | null; phone?: string | null; email?: string | null; loyaltyCard?: string | null; consents?: Array<{ purpose: 'marketing' | 'loyalty' | 'e-receipt'; granted: boolean }> }

export interface Cart {
  /** The open cart's id: "Anular ticket" names it, so a cart paid meanwhile is not cancelled by a late tap. */
  id: string;
  lines: CartLine[];
  totals: Totals;
  taxBreakdown: TaxRow[];
  customer?: CustomerRef | undefined;
  ticketDiscount?: Discount | undefined;
  promotions: CartPromotion[];
  /** Loyalty points redeemed on this cart (a discount spread over the lines). */
  loyalty?: { points: number; cents: number; offline: boolean } | undefined;
}

/** A member's points as the till sees them (online from HQ, else only what may be redeemed offline). */
export interface LoyaltyBalance { member: boolean; online: boolean; points: number | null; available: number | null; offlineAllowance: number; pointValueCents: number; minRedeemPoints: number }

export interface QuickKey { page: number; position: number; productId: string; label: string; color: string; priceCents: number; weighed: boolean }
export interface Product { id: string; name: string; sku?: string | undefined; priceCents: number; weighed: boolean; taxRate?: number | undefined; barcodes?: string[] | undefined }

/**
 * Printer state as the screen reads it: `status` is the one thing to tell the cashier (`ok`, `offline`,
 * `paper_out`, `cover_open`, `error`); `paperNearEnd` is a softer warning; `pending` print jobs in the queue.
 */
export interface DeviceStatus { ok: boolean; status: string; pending?: number | undefined; paperNearEnd?: boolean | undefined; detail?: string | undefined }
export interface SyncStatus { ok: boolean; status: string; pending?: number | undefined }

export interface TerminalState {
  identity: Record<string, unknown> & { terminalName?: string; storeName?: string; companyTradeName?: string };
  cashier?: Cashier | undefined;
  /** The till is locked (the cashier stays logged in, the screen needs a PIN). */
  locked: boolean;
  cashSession?: (Record<string, unknown> & { id: string }) | undefined;
  sync: SyncStatus;
  printer: DeviceStatus;
  notices: Array<{ id: string; title: string; body?: string | undefined }>;
}

/** A notice from HQ as the till shows it to the person logged in (issue 16). */
export interface TillNotice {
  id: string; title: string; body: string; titleEn: string | null; bodyEn: string | null; priority: 'normal' | 'high' | 'urgent';
  startsAt: string | null; validUntil: string | null; readAt: string | null;
}

/** A task or checklist from HQ for this store as the till shows it (issue 16). */
export interface TillTask {
  id: string; title: string; kind: string; description: string | null; dueAt: string; status: 'open' | 'overdue' | 'done';
  items: Array<{ no: number; text: string; doneAt: string | null; doneBy: string | null }>;
}

export interface Receipt { text: string; svg: string }

/** Issue 19: the ticket's e-receipt link and its QR (SVG), null before HQ published a design with e-receipts. */
export interface EReceipt { url: string; qrSvg: string }
export interface CheckoutResult { ticket: TicketSummary; change: number; receipt: Receipt; printed?: boolean; eReceipt?: EReceipt | null }
/** A row of the receipt list (today's tickets at this till). */
export interface ReceiptListRow { id: string; fiscalNumber: string; kind: 'sale' | 'return'; issuedAt: string; totalCents: number; customer: { name: string; email: string | null } | null; printed: boolean }
/** An e-receipt e-mail as queued in the till's outbox: pending until HQ took it, then applied (sent) or rejected. */
export interface EReceiptMail { id: string; ticketId: string; to: string | null; createdAt: string; status: 'pending' | 'applied' | 'rejected'; reference: string | null; message: string | null }
/** A full invoice's recipient: a customer of the till's list and/or typed in. */
export interface InvoiceRecipient {
  customerId?: string;
  nif?: string;
  name?: string;
  address: { street: string; postalCode: string; city: string };
}

export interface TicketSummary { id: string; fiscalNumber: string; total: number; issuedAt?: string | undefined; kind?: string | undefined }

export interface ReturnableLine {
  lineNo: number;
  description: string;
  quantity: Quantity;
  unitPrice: number;
  total: number;
  /** Still returnable, in the line's own unit (units or grams). */
  returnable: number;
}
export interface TicketForReturn {
  id: string; fiscalNumber: string; issuedAt?: string | undefined; total: number; lines: ReturnableLine[];
  /** "M001-01 Caja 1 · Madrid Malasaña" when another till sold it (answered by the back office). */
  soldAt?: string | undefined;
  /** Issue 19: found by a gift receipt's code — exchange deadline, refunded as a voucher. */
  gift?: { exchangeUntil: string; expired: boolean } | undefined;
  /** The back office could not be asked: this till's own tickets and credit notes only. */
  localOnly?: boolean | undefined;
}

export interface ParkedTicket { id: string; label: string; createdAt?: string | undefined; total?: number | undefined; lineCount?: number | undefined }

export type Payment =
  | { method: 'cash'; amountCents: number }
  | { method: 'card'; amountCents: number; reference: string }
  | { method: 'voucher'; amountCents: number; code: string }
  | { method: 'on_account'; amountCents: number };

export type Denominations = Record<string, number>;

/** X and Z reports are shown as they come (same shape); the screen knows a few common fields. */
export type Report = Record<string, unknown>;

/** A correction of the worker's time record waiting for them (issue 16): the original (kept) and what the company proposes. */
export interface PendingCorrection {
  id: string;
  original: { event: string; at: string };
  proposed: { event: string; at: string };
  reason: string;
  proposedBy: string;
  proposedAt: string;
}
export interface PendingCorrections { name: string; timeZone: string; corrections: PendingCorrection[] }

// ---------------------------------------------------------------------------------------------------------
// Normalisation (tolerant of `xCents` vs `x` naming and of flat vs nested quantities)
// ---------------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** First numeric field among the names given (`total`, `totalCents`, …). */
export function cents(o: unknown, ...names: string[]): number {
  const j = obj(o);
  for (const n of names) {
    if (isNum(j[n])) return j[n];
    if (isNum(j[`${n}Cents`])) return j[`${n}Cents`] as number;
  }
  return 0;
}

function quantityOf(l: Json): Quantity {
  const q = obj(l['quantity']);
  if (q['kind'] === 'weight' && isNum(q['grams'])) return { kind: 'weight', grams: q['grams'] };
  if (q['kind'] === 'units' && isNum(q['units'])) return { kind: 'units', units: q['units'] };
  if (isNum(l['grams'])) return { kind: 'weight', grams: l['grams'] };
  if (isNum(l['units'])) return { kind: 'units', units: l['units'] };
  if (isNum(l['quantity'])) return { kind: 'units', units: l['quantity'] };
  return { kind: 'units', units: 1 };
}

function discountOf(v: unknown): Discount | undefined {
  const d = obj(v);
  if (d['kind'] === 'percent' && isNum(d['bp'])) return { kind: 'percent', bp: d['bp'] };
  if (d['kind'] === 'amount' && isNum(d['cents'])) return { kind: 'amount', cents: d['cents'] };
  return undefined;
}

export function normalizeCart(raw: unknown): Cart {
  const c = obj(raw);
  const lines = (Array.isArray(c['lines']) ? c['lines'] : []).map((x): CartLine => {
    const l = obj(x);
    return {
      id: str(l['id'] ?? l['lineId']),
      productId: str(l['productId']),
      description: str(l['description'] ?? l['name'] ?? l['label']),
      quantity: quantityOf(l),
      unitPrice: cents(l, 'unitPrice', 'price'),
      taxRate: cents(l, 'taxRate', 'taxRateBp'),
      discount: discountOf(l['discount']),
      gross: cents(l, 'gross'),
      lineDiscount: cents(l, 'lineDiscount'),
      benefitDiscount: cents(l, 'benefitDiscount'),
      ticketDiscountShare: cents(l, 'ticketDiscountShare'),
      total: cents(l, 'total'),
      priceOverridden: l['priceOverridden'] === true || (isNum(l['listPrice']) && isNum(l['unitPrice']) && l['listPrice'] !== l['unitPrice']),
    };
  });
  const t = obj(c['totals']);
  const total = cents(t, 'total') || cents(c, 'total');
  const totals: Totals = {
    subtotal: cents(t, 'subtotal'),
    lineDiscounts: cents(t, 'lineDiscounts'),
    ticketDiscount: cents(t, 'ticketDiscount'),
    discountTotal: cents(t, 'discountTotal'),
    total,
    taxTotal: cents(t, 'taxTotal'),
  };
  const taxBreakdown = (Array.isArray(c['taxBreakdown']) ? c['taxBreakdown'] : []).map((x): TaxRow => {
    const r = obj(x);
    return { rate: cents(r, 'rate', 'taxRate'), reRate: cents(r, 'reRate'), gross: cents(r, 'gross'), base: cents(r, 'base'), ivaCuota: cents(r, 'ivaCuota', 'iva'), reCuota: cents(r, 'reCuota') };
  });
  const cu = c['customer'] ? obj(c['customer']) : undefined;
  return {
    id: str(c['id']),
    lines,
    totals,
    taxBreakdown,
    customer: cu && cu['id'] ? normalizeCustomer(cu) : undefined,
    ticketDiscount: discountOf(c['ticketDiscount']),
    promotions: (Array.isArray(c['promotions']) ? c['promotions'] : []).map((x) => {
      const p = obj(x);
      return { id: str(p['id']), name: str(p['name']), cents: cents(p, 'cents') };
    }),
    ...(c['loyalty'] ? { loyalty: { points: cents(obj(c['loyalty']), 'points'), cents: cents(obj(c['loyalty']), 'cents'), offline: obj(c['loyalty'])['offline'] === true } } : {}),
  };
}

export function normalizeCustomer(raw: unknown): CustomerRef {
  const c = obj(raw);
  return {
    id: str(c['id']),
    name: str(c['name']),
    nif: typeof c['nif'] === 'string' ? c['nif'] : undefined,
    reRegime: c['reRegime'] === true,
    creditLimitCents: isNum(c['creditLimitCents']) ? c['creditLimitCents'] : undefined,
    balanceCents: isNum(c['balanceCents']) ? c['balanceCents'] : undefined,
    phone: typeof c['phone'] === 'string' ? c['phone'] : undefined,
    email: typeof c['email'] === 'string' ? c['email'] : undefined,
    loyaltyCard: typeof c['loyaltyCard'] === 'string' ? c['loyaltyCard'] : undefined,
  };
}

/** Printer status: the drivers' PrinterStatus ({online, coverOpen, paperOut, paperNearEnd, error}) or a plain word. */
function deviceOf(raw: unknown): DeviceStatus {
  if (typeof raw === 'string') return { ok: /^(ok|online|ready|idle|connected)$/i.test(raw), status: raw };
  const d = obj(raw);
  let status = 'ok';
  // Most specific first: a printer out of paper or with its cover open also reports itself offline.
  if (d['coverOpen'] === true) status = 'cover_open';
  else if (d['paperOut'] === true) status = 'paper_out';
  else if (d['online'] === false || d['ok'] === false || d['connected'] === false) status = 'offline';
  else if (typeof d['error'] === 'string' && d['error']) status = 'error';
  else if (typeof d['status'] === 'string') status = d['status'];
  const ok = /^(ok|online|ready|idle|connected|printing)$/i.test(status);
  const pending = isNum(d['pendingJobs']) ? d['pendingJobs'] : undefined;
  return { ok, status, pending, paperNearEnd: d['paperNearEnd'] === true, detail: typeof d['error'] === 'string' ? d['error'] : undefined };
}

/**
 * Back-office link. Today `/api/state` carries the outbox figures ({pending, lastSeq}); once the sync client's
 * status is wired in it carries {state: 'online'|'offline'|'connecting'|'unpaired'|'revoked'|'conflict', online, pendingCount}.
 */
function syncOf(raw: unknown): SyncStatus {
  if (typeof raw === 'string') return { ok: /^(ok|online|connected|synced|idle)$/i.test(raw), status: raw };
  const s = obj(raw);
  const status = str(s['state'] ?? s['status'], s['online'] === false || s['connected'] === false ? 'offline' : 'ok');
  const down = s['online'] === false || s['connected'] === false || s['ok'] === false || /(offline|unreachable|disconnected|error|down|revoked|unpaired|conflict)/i.test(status);
  const pending = isNum(s['pendingCount']) ? s['pendingCount'] : isNum(s['pending']) ? s['pending'] : isNum(s['outboxPending']) ? s['outboxPending'] : undefined;
  return { ok: !down, status, pending };
}

export function normalizeState(raw: unknown, previous?: TerminalState): TerminalState {
  const s = obj(raw);
  const cashierRaw = s['cashier'] ? obj(s['cashier']) : undefined;
  const sessionRaw = s['cashSession'] ? obj(s['cashSession']) : undefined;
  return {
    identity: obj(s['identity'] ?? previous?.identity),
    cashier: cashierRaw && cashierRaw['id'] ? { id: str(cashierRaw['id']), name: str(cashierRaw['name']), role: str(cashierRaw['role']) } : undefined,
    locked: s['locked'] === true,
    cashSession: sessionRaw && sessionRaw['id'] ? ({ ...sessionRaw, id: str(sessionRaw['id']) } as TerminalState['cashSession']) : undefined,
    sync: 'sync' in s ? syncOf(s['sync']) : (previous?.sync ?? { ok: true, status: 'ok' }),
    printer: 'printer' in s ? deviceOf(s['printer']) : (previous?.printer ?? { ok: true, status: 'ok' }),
    notices: (Array.isArray(s['notices']) ? s['notices'] : []).map((n, i) => {
      const o = obj(n);
      return { id: str(o['id'], String(i)), title: str(o['title'] ?? o['message'] ?? o['text']), body: typeof o['body'] === 'string' ? o['body'] : undefined };
    }),
  };
}

/** Merges a socket `status` event (printer, sync, session) into the state. */
export function mergeStatus(state: TerminalState, raw: unknown): TerminalState {
  const s = obj(raw);
  return {
    ...state,
    locked: typeof s['locked'] === 'boolean' ? s['locked'] : state.locked,
    sync: 'sync' in s ? syncOf(s['sync']) : state.sync,
    printer: 'printer' in s ? deviceOf(s['printer']) : state.printer,
    cashSession: 'session' in s || 'cashSession' in s
      ? (() => {
          const v = s['cashSession'] ?? s['session'];
          const o = obj(v);
          return o['id'] && o['status'] !== 'closed' ? ({ ...o, id: str(o['id']) } as TerminalState['cashSession']) : undefined;
        })()
      : state.cashSession,
  };
}

function ticketSummaryOf(raw: unknown): TicketSummary {
  const t = obj(raw);
  return {
    id: str(t['id']),
    fiscalNumber: str(t['fiscalNumber'] ?? t['number']),
    total: cents(obj(t['totals']), 'total') || cents(t, 'total'),
    issuedAt: typeof t['issuedAt'] === 'string' ? t['issuedAt'] : undefined,
    kind: typeof t['kind'] === 'string' ? t['kind'] : undefined,
  };
}

function receiptOf(raw: unknown): Receipt {
  const r = obj(raw);
  return { text: str(r['text']), svg: str(r['svg']) };
}

function returnableOf(l: Json, q: Quantity): number {
  const r = l['returnable'] ?? l['returnableQuantity'];
  if (isNum(r)) return r;
  const o = obj(r);
  if (isNum(o['units'])) return o['units'];
  if (isNum(o['grams'])) return o['grams'];
  if (isNum(l['returnableUnits'])) return l['returnableUnits'];
  if (isNum(l['returnableGrams'])) return l['returnableGrams'];
  return q.kind === 'units' ? Math.abs(q.units) : Math.abs(q.grams);
}

export function normalizeTicketForReturn(raw: unknown): TicketForReturn {
  const root = obj(raw);
  const t = root['ticket'] ? obj(root['ticket']) : root;
  // The lookup answers {ticket, lines: returnable views}; prefer those over the ticket document's own lines.
  const linesRaw = Array.isArray(root['lines']) ? root['lines'] : Array.isArray(t['lines']) ? t['lines'] : [];
  const lines = linesRaw.map((x, i): ReturnableLine => {
    const l = obj(x);
    const q = quantityOf(l);
    return {
      lineNo: isNum(l['lineNo']) ? l['lineNo'] : isNum(l['no']) ? l['no'] : i + 1,
      description: str(l['description'] ?? l['name']),
      quantity: q,
      unitPrice: cents(l, 'unitPrice'),
      total: cents(l, 'total'),
      returnable: returnableOf(l, q),
    };
  });
  const s = ticketSummaryOf(t);
  const o = root['origin'] ? obj(root['origin']) : null;
  const soldAt = o ? `${str(o['storeCode'])}-${str(o['terminalCode'])} ${str(o['terminalName'])} · ${str(o['storeName'])}` : undefined;
  const g = root['gift'] ? obj(root['gift']) : null;
  const gift = g ? { exchangeUntil: str(g['exchangeUntil']), expired: g['expired'] === true } : undefined;
  return { id: s.id, fiscalNumber: s.fiscalNumber, issuedAt: s.issuedAt, total: s.total, lines, soldAt, localOnly: root['source'] === 'local', gift };
}

function quickKeyOf(raw: unknown): QuickKey {
  const k = obj(raw);
  return {
    page: isNum(k['page']) ? k['page'] : 1,
    position: isNum(k['position']) ? k['position'] : 0,
    productId: str(k['productId']),
    label: str(k['label'] ?? k['name']),
    color: str(k['color'], '#546e7a'),
    priceCents: cents(k, 'priceCents', 'price'),
    weighed: k['weighed'] === true || k['weighed'] === 1,
  };
}

function productOf(raw: unknown): Product {
  const p = obj(raw);
  return {
    id: str(p['id'] ?? p['productId']),
    name: str(p['name'] ?? p['label']),
    sku: typeof p['sku'] === 'string' ? p['sku'] : undefined,
    priceCents: cents(p, 'priceCents', 'price', 'unitPrice'),
    weighed: p['weighed'] === true || p['weighed'] === 1,
    taxRate: isNum(p['taxRateBp']) ? p['taxRateBp'] : isNum(p['taxRate']) ? p['taxRate'] : undefined,
    barcodes: Array.isArray(p['barcodes']) ? p['barcodes'].map((b) => str(b)) : undefined,
  };
}

const listOf = (raw: unknown, key: string): unknown[] => (Array.isArray(raw) ? raw : Array.isArray(obj(raw)[key]) ? (obj(raw)[key] as unknown[]) : []);

// ---------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------

let token: string | null = sessionStorage.getItem('tpv.token');
let unauthorizedHandler: (() => void) | null = null;

export function setToken(t: string | null): void {
  token = t;
  if (t) sessionStorage.setItem('tpv.token', t);
  else sessionStorage.removeItem('tpv.token');
}
export const getToken = (): string | null => token;
/** Called when an authenticated call answers 401 (token expired or terminal locked elsewhere). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

async function request<T = unknown>(method: string, path: string, body?: unknown, opts: { auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token && opts.auth !== false) headers['Authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_UNREACHABLE', 'Network error', String(e));
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const p = obj(json);
    const code = str(p['code'], res.status === 404 ? 'NOT_FOUND' : `HTTP_${res.status}`);
    const err = new ApiError(res.status, code, str(p['title'], res.statusText), typeof p['detail'] === 'string' ? p['detail'] : undefined, p);
    if (res.status === 401 && !/SUPERVISOR|PIN_/.test(code) && path !== '/api/auth/login') unauthorizedHandler?.();
    throw err;
  }
  return json as T;
}

const q = (s: string) => encodeURIComponent(s);

/*
 * Cart answers can arrive out of order (several HTTP connections plus the socket). Each one is stamped with
 * the order its request was issued (socket events: the order they arrived); the screen applies a cart only
 * if nothing issued later has been applied already (see `cartOrder`).
 */
let cartIssued = 0;
const cartStamps = new WeakMap<Cart, number>();
/** Issue order of a cart answer (0 for carts not from the service). */
export const cartOrder = (c: Cart): number => cartStamps.get(c) ?? 0;
async function cartCall(method: string, path: string, body?: unknown): Promise<Cart> {
  const order = ++cartIssued;
  const cart = normalizeCart(await request(method, path, body));
  cartStamps.set(cart, order);
  return cart;
}
/** A `cart` event from the socket (the service emits them in the order the cart changed). */
export function cartFromSocket(raw: unknown): Cart {
  const cart = normalizeCart(raw);
  cartStamps.set(cart, ++cartIssued);
  return cart;
}

export const api = {
  state: async (prev?: TerminalState) => normalizeState(await request('GET', '/api/state'), prev),
  login: async (pin: string) => {
    const r = obj(await request('POST', '/api/auth/login', { pin }, { auth: false }));
    const c = obj(r['cashier']);
    return { token: str(r['token']), cashier: { id: str(c['id']), name: str(c['name']), role: str(c['role']) } as Cashier };
  },
  lock: () => request('POST', '/api/auth/lock'),
  /** Working-time record (issue 16): a clock event with the worker's PIN (no session); the answer's message is Spanish · English. */
  clock: async (pin: string, event: 'clock_in' | 'break_start' | 'break_end' | 'clock_out') => {
    const r = obj(await request('POST', '/api/time-clock', { pin, event }, { auth: false }));
    return { message: str(r['message']), at: str(r['at']) };
  },
  /** The corrections of the PIN's worker waiting for their approval (asked of HQ online; offline is HQ_UNAVAILABLE). */
  pendingCorrections: async (pin: string): Promise<PendingCorrections> => {
    const r = obj(await request('POST', '/api/time-clock/corrections', { pin }, { auth: false }));
    const stamp = (v: unknown) => ({ event: str(obj(v)['event']), at: str(obj(v)['at']) });
    return {
      name: str(obj(r['staff'])['name']),
      timeZone: str(r['timeZone'], 'Europe/Madrid'),
      corrections: (Array.isArray(r['corrections']) ? r['corrections'] : []).map((c) => {
        const x = obj(c);
        return { id: str(x['id']), original: stamp(x['original']), proposed: stamp(x['proposed']), reason: str(x['reason']), proposedBy: str(x['proposedBy']), proposedAt: str(x['proposedAt']) };
      }),
    };
  },
  decideCorrection: async (pin: string, id: string, decision: 'approve' | 'reject') => {
    const r = obj(await request('POST', `/api/time-clock/corrections/${encodeURIComponent(id)}/decision`, { pin, decision }, { auth: false }));
    return { message: str(r['message']), effective: r['effective'] === true };
  },
  logout: () => request('POST', '/api/auth/logout'),

  openCash: (float: Denominations) => request('POST', '/api/cash/open', { float }),
  cashMovement: (kind: 'cash_in' | 'cash_out', amountCents: number, reason: string) => request('POST', '/api/cash/movements', { kind, amountCents, reason }),
  xReport: async () => obj(await request('GET', '/api/cash/x-report')) as Report,
  closeCash: async (counted: Denominations, supervisorPin?: string) => {
    const r = obj(await request('POST', '/api/cash/close', { counted, ...(supervisorPin ? { supervisorPin } : {}) }));
    return obj(r['zReport'] ?? r['report'] ?? r) as Report;
  },

  quickKeys: async () => listOf(await request('GET', '/api/catalog/quick-keys'), 'items').map(quickKeyOf),
  searchProducts: async (text: string) => listOf(await request('GET', `/api/catalog/search?q=${q(text)}`), 'items').map(productOf),
  searchCustomers: async (text: string) => listOf(await request('GET', `/api/customers/search?q=${q(text)}`), 'items').map(normalizeCustomer),
  createCustomer: async (c: NewCustomer) => normalizeCustomer(obj(await request('POST', '/api/customers', c))['customer']),

  cart: async () => cartCall('GET', '/api/cart'),
  scan: async (code: string) => cartCall('POST', '/api/cart/scan', { code }),
  addLine: async (productId: string, quantity: { units?: number; grams?: number } = {}) => cartCall('POST', '/api/cart/lines', { productId, ...quantity }),
  patchLine: async (
    lineId: string,
    patch: { units?: number; grams?: number; discount?: Discount | null; unitPriceCents?: number; supervisorPin?: string },
  ) => cartCall('PATCH', `/api/cart/lines/${q(lineId)}`, patch),
  voidLine: async (lineId: string, supervisorPin?: string) =>
    cartCall('DELETE', `/api/cart/lines/${q(lineId)}`, supervisorPin ? { supervisorPin } : {}),
  /** "Anular ticket": every line of the open cart `cartId` in one action (issue 18). */
  cancelTicket: async (cartId: string, supervisorPin?: string) =>
    cartCall('POST', '/api/cart/cancel', { cartId, ...(supervisorPin ? { supervisorPin } : {}) }),
  ticketDiscount: async (discount: Discount | null, supervisorPin?: string) =>
    cartCall('PUT', '/api/cart/discount', { discount, ...(supervisorPin ? { supervisorPin } : {}) }),
  setCustomer: async (customerId: string | null) => cartCall('PUT', '/api/cart/customer', { customerId }),
  loyaltyBalance: (customerId: string) => request<LoyaltyBalance>('GET', `/api/loyalty/customers/${q(customerId)}`),
  redeemPoints: async (points: number) => cartCall('POST', '/api/cart/loyalty', { points }),
  cancelPoints: async () => cartCall('DELETE', '/api/cart/loyalty'),
  park: async (label?: string) => str(obj(await request('POST', '/api/cart/park', label ? { label } : {}))['parkedId']),
  parked: async () =>
    listOf(await request('GET', '/api/parked'), 'items').map((x): ParkedTicket => {
      const p = obj(x);
      const draft = obj(p['draft'] ?? p['cart']);
      return {
        id: str(p['id']),
        label: str(p['label']),
        createdAt: typeof (p['createdAt'] ?? p['parkedAt']) === 'string' ? str(p['createdAt'] ?? p['parkedAt']) : undefined,
        total: isNum(p['total']) || isNum(p['totalCents']) ? cents(p, 'total') : isNum(obj(draft['totals'])['total']) ? cents(obj(draft['totals']), 'total') : undefined,
        lineCount: isNum(p['lineCount']) ? p['lineCount'] : isNum(p['lines']) ? p['lines'] : Array.isArray(p['lines']) ? p['lines'].length : Array.isArray(draft['lines']) ? draft['lines'].length : undefined,
      };
    }),
  resume: async (id: string) => cartCall('POST', `/api/parked/${q(id)}/resume`),
  checkout: async (payments: Payment[], invoice?: InvoiceRecipient, paper = true): Promise<CheckoutResult> => {
    const r = obj(await request('POST', '/api/cart/checkout', { payments, ...(invoice ? { invoice } : {}), ...(paper ? {} : { paper: false }) }));
    const change = isNum(r['change']) ? r['change'] : cents(r, 'changeCents') || cents(obj(r['change']), 'amount', 'cents');
    const e = r['eReceipt'] ? obj(r['eReceipt']) : null;
    return {
      ticket: ticketSummaryOf(r['ticket']), change, receipt: receiptOf(r['receipt']), printed: r['printed'] !== false,
      eReceipt: e ? { url: str(e['url']), qrSvg: str(e['qrSvg']) } : null,
    };
  },
  // Issue 19: gift receipt, e-receipt link, e-mail (queued, sent once), the receipt list.
  giftReceipt: (id: string) => request<{ jobId: string; giftCode: string }>('POST', `/api/tickets/${q(id)}/gift-receipt`),
  eReceipt: (id: string) => request<EReceipt | null>('GET', `/api/tickets/${q(id)}/e-receipt`),
  emailReceipt: (id: string, to?: string) => request<EReceiptMail>('POST', `/api/tickets/${q(id)}/email`, to ? { to } : {}),
  receiptEmails: (id: string) => request<EReceiptMail[]>('GET', `/api/tickets/${q(id)}/email`),
  todayReceipts: (text = '') => request<ReceiptListRow[]>('GET', `/api/receipts/today${text.trim() ? `?q=${q(text.trim())}` : ''}`),

  /** F3: a full invoice replacing a ticket of this till (number, scanned barcode/QR or id). */
  substituteTicket: async (ticket: string, invoice: InvoiceRecipient): Promise<{ ticket: TicketSummary; replaced: string; receipt: Receipt }> => {
    const r = obj(await request('POST', '/api/invoices/substitution', { ticket, invoice }));
    return { ticket: ticketSummaryOf(r['ticket']), replaced: str(obj(r['replaced'])['fiscalNumber']), receipt: receiptOf(r['receipt']) };
  },
  tickets: async (limit = 20) => listOf(await request('GET', `/api/tickets?limit=${limit}`), 'items').map(ticketSummaryOf),
  lookupTicket: async (text: string) => normalizeTicketForReturn(await request('GET', `/api/tickets/lookup?q=${q(text)}`)),
  receipt: async (id: string) => receiptOf(await request('GET', `/api/tickets/${q(id)}/receipt`)),
  reprint: (id: string) => request('POST', `/api/tickets/${q(id)}/reprint`),
  createReturn: async (
    originalTicketId: string,
    lines: Array<{ lineNo: number; units?: number; grams?: number }>,
    refund: { method: 'cash' } | { method: 'card'; reference: string },
  ) => {
    const r = obj(await request('POST', '/api/returns', { originalTicketId, lines, refund }));
    return { ticket: ticketSummaryOf(r['ticket']), receipt: receiptOf(r['receipt']) };
  },
  devices: () => request<DevicesState>('GET', '/api/devices'),
  saveDevices: (config: DevicesConfig) => request<DevicesState>('PUT', '/api/devices/config', config),
  testPrint: () => request<{ printed: boolean }>('POST', '/api/devices/test-print'),
  openDrawer: () => request<{ opened: boolean }>('POST', '/api/devices/open-drawer'),
  lastReceipts: async (limit = 5) => {
    const r = obj(await request('GET', `/api/devices/last-receipts?limit=${limit}`));
    const receipts = (Array.isArray(r['receipts']) ? r['receipts'] : []).map((x): LastReceipt => {
      const o = obj(x);
      return { id: str(o['id']), receivedAt: str(o['receivedAt']), text: str(o['text']), svg: str(o['svg']) };
    });
    return { source: str(r['source'], 'queue'), receipts, previewError: typeof r['previewError'] === 'string' ? r['previewError'] : undefined };
  },  // data protection: consents given or withdrawn at the counter (an outbox document, sent to HQ exactly once)
  // office notices (issue 16): the person's notices; confirming one writes its read to the outbox (sent to HQ once)
  notices: () => request<TillNotice[]>('GET', '/api/notices'),
  readNotice: (id: string) => request<TillNotice>('POST', `/api/notices/${q(id)}/read`),
  // tasks (issue 16): the store's tasks; ticking an item writes it to the outbox (sent to HQ once)
  tasks: () => request<TillTask[]>('GET', '/api/tasks'),
  checkTask: (id: string, itemNo: number) => request<TillTask>('POST', `/api/tasks/${q(id)}/items/${itemNo}/check`),
  recordConsents: (customerId: string, consents: Array<{ purpose: 'marketing' | 'loyalty' | 'e_receipt'; granted: boolean }>) =>
    request('POST', '/api/privacy/consents', { customerId, consents }),
};

// ---------------------------------------------------------------------------------------------------------
// Devices (docs/terminal-api.md "Devices")
// ---------------------------------------------------------------------------------------------------------

export type PrinterConfig =
  | { kind: 'none' }
  | { kind: 'escpos-tcp' | 'epson' | 'star'; interface: string; columns: 32 | 48; previewUrl?: string | undefined };
export type DrawerConfig = { kind: 'none' } | { kind: 'printer-kick'; pin: 2 | 5; pulseMs: number } | { kind: 'serial'; path: string; baud: number };
export type ScannerConfig =
  | { kind: 'none' }
  | { kind: 'serial'; path: string; baud: number; suffix: '\r' | '\n' | '\r\n' }
  | { kind: 'hid'; vendorId: number; productId: number };
export type DisplayConfig = { kind: 'none' } | { kind: 'serial'; path: string; baud: number };
export interface DevicesConfig { printer: PrinterConfig; drawer: DrawerConfig; scanner: ScannerConfig; display: DisplayConfig }

export interface DevicesState {
  config?: DevicesConfig;
  file?: string;
  overridden?: string[];
  fileProblem?: string;
  printer: { kind?: string; interface?: string; online: boolean; coverOpen: boolean; paperOut: boolean; paperNearEnd: boolean; error?: string; pendingJobs?: number };
  pendingJobs: number;
  drawer: { kind: string; open?: boolean; lastError?: string } | null;
  scanner: { kind: string; connected: boolean; source?: string; lastScan?: { data: string; at: string }; lastError?: string };
  display: { kind: string; line1?: string; line2?: string; lastError?: string };
}

export interface LastReceipt { id: string; receivedAt: string; text: string; svg: string }

// ---------------------------------------------------------------------------------------------------------
// Inventory at the till (Recepción, Recuento, Pedir reposición, stock nearby): terminal/src/stock/route.ts
// ---------------------------------------------------------------------------------------------------------

export interface DeliveryNoteLine { productId: string; sku: string; name: string; quantity: number; barcodes: string[] }
export interface DeliveryNote { id: string; number: string; from: string; shippedAt: string; lines: DeliveryNoteLine[] }
export interface ScannedProduct { productId: string; sku: string; name: string; units: number }
export interface StockDocument {
  id: string;
  kind: 'stock.delivery_receipt' | 'stock.count' | 'stock.replenishment_request';
  createdAt: string;
  status: 'pending' | 'applied' | 'rejected';
  reference: string | null;
  message: string | null;
  lastError: string | null;
}
export type Availability =
  | { online: false }
  | { online: true; productId: string; incoming: number; stores: Array<{ storeId: string; code: string; name: string; quantity: number; thisStore: boolean }> };

export const stockApi = {
  deliveryNotes: () => request<DeliveryNote[]>('GET', '/api/stock/delivery-notes'),
  receive: (id: string, lines: Array<{ productId: string; received: number; damaged?: number }>) =>
    request<StockDocument>('POST', `/api/stock/delivery-notes/${q(id)}/receipt`, { lines }),
  count: (lines: Array<{ productId: string; counted: number }>) => request<StockDocument>('POST', '/api/stock/counts', { lines }),
  requestReplenishment: (lines: Array<{ productId: string; quantity: number }>, note?: string) =>
    request<StockDocument>('POST', '/api/stock/replenishment-requests', { lines, ...(note ? { note } : {}) }),
  documents: () => request<StockDocument[]>('GET', '/api/stock/documents?limit=10'),
  scan: (code: string) => request<ScannedProduct>('GET', `/api/stock/scan?code=${q(code)}`),
  availability: (productId: string) => request<Availability>('GET', `/api/stock/products/${q(productId)}/availability`),
};

/** Online: HQ's balance and what is left after holds; offline: the till's cap for this voucher. */
export type VoucherInfo = { code: string; mode: 'online'; balanceCents?: number; availableCents: number } | { code: string; mode: 'offline'; offlineCapCents: number; offlineLeftCents: number };

/** Gift vouchers (issue 15): sell/load (its own document, no IVA), the balance, an authorization before a voucher payment. */
export const voucherApi = {
  sellVoucher: (body: { kind: 'issue' | 'load'; code?: string; amountCents: number; payments: Array<{ method: 'cash'; amountCents: number } | { method: 'card'; amountCents: number; reference: string }> }) =>
    request<{ id: string; number: string; kind: string; code: string; amountCents: number; changeCents: number }>('POST', '/api/vouchers/sales', body),
  voucherBalance: (code: string) => request<VoucherInfo>('GET', `/api/vouchers/${q(code)}/balance`),
  authorizeVoucher: (code: string, amountCents: number) => request<VoucherInfo & { id: string; amountCents: number }>('POST', '/api/vouchers/authorizations', { code, amountCents }),
  releaseVoucher: (id: string) => request('DELETE', `/api/vouchers/authorizations/${q(id)}`),
};

// ---------------------------------------------------------------------------------------------------------
// Incidents reported at the till (issue 17): terminal/src/quality/route.ts
// ---------------------------------------------------------------------------------------------------------

export interface IncidentReport { id: string; createdAt: string; title: string; kind: string; hasPhoto: boolean; status: 'pending' | 'applied' | 'rejected'; reference: string | null; message: string | null }
export interface IncidentReportBody {
  kind: string;
  severity: string;
  title: string;
  description?: string;
  productId?: string;
  photo?: { mediaType: 'image/jpeg' | 'image/png' | 'image/webp'; base64: string };
}

export const qualityApi = {
  report: (body: IncidentReportBody) => request<IncidentReport>('POST', '/api/quality/incidents', body),
  recent: () => request<{ items: IncidentReport[] }>('GET', '/api/quality/incidents'),
};
