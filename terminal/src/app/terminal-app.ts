/**
 * The selling side of the terminal service, assembled from its use cases: people, catalog, cart, checkout,
 * cash, returns, printing. `createTerminalApp` takes its collaborators (database handle, clock, id
 * generator, printer and drawer ports); main.ts passes the real ones, tests pass recording ones.
 */
import type { TillRequester } from '@tpv/shared/wire/till-request';
import { Router, type Request } from 'express';
import type { Server as SocketServer } from 'socket.io';
import type { CashDrawer, CustomerDisplay, ReceiptPrinter } from '@tpv/drivers/ports';
import type { Clock } from '@tpv/shared/clock';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { SqliteHandle } from '../persistence/data-source';
import { cashRouter } from '../cash/route';
import { createCashService, type CashService } from '../cash/cash-service';
import { createSessionQueries } from '../cash/sessions';
import { createCatalogQueries } from '../catalog/catalog';
import { catalogRouter } from '../catalog/route';
import { createTillCustomers, type TillCustomers } from '../crm/customers';
import { customersRouter } from '../crm/route';
import { createAuditLog } from '../people/audit';
import { createAuthService, type AuthService } from '../people/auth';
import { createPinVerifier } from '../people/pins';
import { createTillTimeClock } from '../people/time-clock';
import { timeClockRouter } from '../people/time-clock-route';
import { createTillCorrections } from '../people/time-corrections';
import { timeCorrectionsRouter } from '../people/time-corrections-route';
import { peopleRouter } from '../people/route';
import { createSqlitePrintJobStore } from '../printing/job-store';
import { createPrinting, type Printing } from '../printing/printing';
import { createReceiptDesignStore, designed, giftPolicy, giftReceipt } from '../printing/receipts';
import type { GiftReturns } from '../returns/returns';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { createReceiptRenderer, eReceiptOf, printingRouter } from '../printing/route';
import { createTillReceipts } from '../printing/receipt-list';
import { cartDisplay, saleDisplay, type DisplayLines } from '../printing/display';
import { RecordingDrawer, RecordingPrinter } from '../printing/devices';
import { devicesRouter } from '../devices/route';
import { testPageDocument } from '../devices/test-page';
import type { DeviceManager } from '../devices/manager';
import { createReturnsService, type HqTickets, type ReturnsService } from '../returns/returns';
import { returnsRouter } from '../returns/route';
import { createCartService, type CartService } from '../sales/cart-service';
import { createCartStore } from '../sales/cart-store';
import { createCheckout, type Checkout } from '../sales/checkout';
import { createCartPromoter } from '../promotions/cart-promotions';
import { createPromotionBook } from '../promotions/book';
import { salesRouter, substitutionRouter } from '../sales/route';
import { createSubstitutions, type Substitutions } from '../sales/substitution';
import { createTicketWriter } from '../sales/ticket-writer';
import { createTerminalDeps, type TerminalDeps } from './context';
import { createStockDocuments, type StockDocuments } from '../stock/stock-documents';
import { stockRouter } from '../stock/route';
import { createVouchers } from '../vouchers/vouchers';
import { vouchersRouter } from '../vouchers/route';
import { createTillPrivacy } from '../privacy/privacy';
import { privacyRouter } from '../privacy/route';
import { createTillIncidents } from '../quality/incidents';
import { qualityRouter } from '../quality/route';
import type { StockLookupReply } from '@tpv/shared/wire/upward';
import { bearer, requireStaff } from './http';
import { startIdleCheckpoints } from './checkpoints';
import { createTillLoyalty } from '../loyalty/loyalty';
import { loyaltyRouter } from '../loyalty/route';
import type { TillPolicy } from './policy';
import { createBlockCheck } from '../blocks/blocks';
import { createTillNotices } from '../office/notices';
import { noticesRouter, tasksRouter } from '../office/route';
import { createTillTasks } from '../office/tasks';

export interface TerminalAppOptions {
  db: SqliteHandle;
  /**
   * The till's configurable devices (main.ts): its stable printer / drawer / display ports are used, scans
   * go to the screen, and `/api/devices` can change the configuration. Tests may pass fixed ports instead.
   */
  devices?: DeviceManager | undefined;
  printer?: ReceiptPrinter;
  drawer?: CashDrawer;
  clock?: Clock;
  newId?: () => string;
  policy?: TillPolicy;
  /** Customer pole display (optional; the screen always gets the `display` event). */
  display?: CustomerDisplay | undefined;
  /** Shown by /api/devices. */
  devicesDescription?: string;
  /** The back-office link's status (main.ts: the sync client); without it `/api/state` shows the outbox counts. */
  syncStatus?: () => object;
  /** The back office's ticket lookup (main.ts: the sync client), for returns of other tills' tickets. */
  hqTickets?: HqTickets | undefined;
  /** Inventory documents: wake the sync pump when one is queued, and the back office's stock lookup (main.ts: the sync client). */
  stock?: { queued?: () => void; lookup?: (productId: string) => Promise<StockLookupReply | null> };
  /** Online questions to the back office (vouchers, points): absent or null answers mean offline rules. */
  hqRequest?: TillRequester | undefined;
  /** New rows in the document outbox: send them now (the sync client's notify). */
  documentsQueued?: (() => void) | undefined;
  /** Start the print worker (default true). */
  startPrinting?: boolean;
}

export interface TerminalApp {
  deps: TerminalDeps;
  auth: AuthService;
  cart: CartService;
  checkout: Checkout;
  cash: CashService;
  returns: ReturnsService;
  /** F3: full invoices replacing simplified tickets of this till. */
  substitutions: Substitutions;
  printing: Printing;
  stock: StockDocuments;
  customers: TillCustomers;
  routers(): Router[];
  /** socket.io: `cart` to authenticated screens, `status` to every screen (lock screen included). */
  attachSocket(io: SocketServer): void;
  stop(): Promise<void>;
}

export function createTerminalApp(opts: TerminalAppOptions): TerminalApp {
  const o = {
    ...opts,
    printer: opts.printer ?? opts.devices?.printer ?? new RecordingPrinter(),
    drawer: (opts.drawer ?? opts.devices?.drawer ?? new RecordingDrawer()) as CashDrawer,
    display: opts.display ?? opts.devices?.display,
  };
  const deps = createTerminalDeps({ ...o, hqRequest: o.hqRequest, documentsQueued: o.documentsQueued });
  const nowIso = () => new Date(deps.clock.now()).toISOString();
  const audit = createAuditLog(o.db, deps.newId, nowIso);
  const pins = createPinVerifier(o.db, deps.policy);
  const auth = createAuthService(pins, audit);
  const catalog = createCatalogQueries(o.db, deps.clock);
  const store = createCartStore(o.db, deps.repos.transaction);
  const sessions = createSessionQueries(o.db);
  // Issue 19: every queued receipt gets the store's design (logo, header, footer, policy, promotion).
  const designs = createReceiptDesignStore(o.db);
  const decorate = (doc: ReceiptDocument, kind: string | undefined, ticketId?: string | undefined) =>
    designed(doc, designs.current(), { columns: deps.policy.receiptColumns, today: deps.localTime(deps.clock.now()).timestamp.slice(0, 10), kind, ticketId });
  const giftDocument = (doc: TicketDocument) => {
    const identity = deps.identity();
    if (!identity) return null;
    return giftReceipt(identity, doc, giftPolicy(designs.current()).exchangeDays);
  };
  const printing = createPrinting(createSqlitePrintJobStore(o.db), o.printer, deps.newId, () => new Date(deps.clock.now()), decorate);
  const writer = createTicketWriter(deps);
  const promote = createCartPromoter(createPromotionBook(o.db, deps.identity), catalog, deps.clock);
  const blocks = createBlockCheck(o.db);
  const cart = createCartService({ deps, store, catalog, auth, audit, promote, blocks });
  const loyalty = createTillLoyalty({ deps, catalog, cart });
  const vouchers = createVouchers({ deps, sessions, printing });
  const checkout = createCheckout({ deps, store, sessions, catalog, writer, printing, promote, loyalty, claimPayments: (doc) => vouchers.claimInTransaction(doc), blocks });
  const staffName = o.db.prepare<[string], { name: string }>('SELECT name FROM staff WHERE id = ?');
  const cash = createCashService({ deps, sessions, auth, audit, printing, staffName: (id) => staffName.get(id)?.name ?? id, vouchersSold: (sid) => vouchers.soldInSession(sid) });
  const today = () => deps.localTime(deps.clock.now()).timestamp.slice(0, 10);
  // Issue 19: a gift receipt's return is refunded as a voucher sold in the same transaction, any amount.
  const gift: GiftReturns = {
    policy: () => giftPolicy(designs.current()),
    today,
    issueVoucher(cashier, cents) {
      const v = vouchers.sell(cashier, { kind: 'issue', amountCents: cents, payments: [{ method: 'cash', amountCents: cents }], refund: true });
      return v.ok ? { ok: true, value: { code: v.value.code, number: v.value.number } } : v;
    },
  };
  const returns = createReturnsService({ deps, sessions, writer, printing, hq: o.hqTickets, gift });
  const substitutions = createSubstitutions({ deps, sessions, catalog, writer, printing, findTicket: (q) => returns.findTicket(q) });
  const ticketById = o.db.prepare<[string], { document: string }>('SELECT document FROM ticket WHERE id = ?');
  const findById = (id: string): TicketDocument | undefined => {
    const row = ticketById.get(id);
    return row ? (JSON.parse(row.document) as TicketDocument) : undefined;
  };
  // Issue 19: the receipt list, e-receipt links (signed offline with the store's key) and queued e-mails.
  const tillReceipts = createTillReceipts({
    db: o.db, clock: deps.clock, newId: deps.newId, design: () => designs.current(), localDay: (ms) => deps.localTime(ms).timestamp.slice(0, 10),
    queued: o.documentsQueued ?? o.stock?.queued,
  });
  const receipts = createReceiptRenderer(deps, (id) => returns.originalRef(id), decorate, (id) => tillReceipts.link(id));
  const customers = createTillCustomers({ db: o.db, clock: deps.clock, newId: deps.newId, queued: deps.hq.documentsQueued });
  const stock = createStockDocuments({ db: o.db, clock: deps.clock, newId: deps.newId, repos: deps.repos, ...o.stock });
  if (o.startPrinting ?? true) printing.start();
  const checkpoints = startIdleCheckpoints(o.db, () => Date.now());
  deps.events.on('cart', () => checkpoints.noteWrite());
  deps.events.on('status', () => checkpoints.noteWrite());
  deps.events.on('ticket', () => checkpoints.noteWrite());

  const outboxState = o.db.prepare<[], { pending: number; lastSeq: number | null }>(
    'SELECT (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL) AS pending, (SELECT MAX(seq) FROM outbox) AS lastSeq',
  );
  // The banners show everyone (the lock screen too) the notices for every role that have started; a notice
  // for some roles only is shown, and confirmed, in the notices dialog of the person logged in (office/notices.ts).
  const notices = o.db.prepare<[string, string], { id: string; title: string; body: string; valid_until: string | null }>(
    `SELECT id, title, body, valid_until FROM notice WHERE (valid_until IS NULL OR valid_until >= ?) AND roles = '[]' AND (starts_at IS NULL OR starts_at <= ?) ORDER BY id`,
  );

  const status = async () => {
    const p = await printing.status();
    const cur = auth.current();
    return {
      cashier: cur?.cashier ?? null,
      locked: cur?.locked ?? false,
      cashSession: cash.current() ?? null,
      sync: o.syncStatus?.() ?? outboxState.get() ?? { pending: 0, lastSeq: null },
      printer: { ...p.printer, pendingJobs: p.pendingJobs },
    };
  };
  const emitStatus = () => {
    status().then((s) => deps.events.emit('status', s)).catch(() => undefined);
  };

  function stateRouter(): Router {
    const r = Router();
    r.get('/api/state', async (_req, res) => {
      const identity = deps.identity() ?? null;
      res.json({ identity, ...(await status()), notices: notices.all(nowIso(), nowIso()).map((n) => ({ id: n.id, title: n.title, body: n.body, validUntil: n.valid_until })) });
    });
    return r;
  }

  // Pole display: last item + running total while selling, total + change after the sale.
  const show = (d: DisplayLines) => {
    deps.events.emit('display', d);
    o.display?.show(d.line1, d.line2).catch(() => undefined);
  };
  deps.events.on('cart', (c) => show(cartDisplay(c as Parameters<typeof cartDisplay>[0])));
  // After the sale the screen facing the customer also gets the e-receipt link (its QR); a 2 × 20 pole only shows total and change.
  deps.events.on('ticket', (t) => {
    const d = saleDisplay(t.total, t.change);
    const e = eReceiptOf(tillReceipts.link(t.id));
    deps.events.emit('display', { ...d, eReceiptUrl: e?.url ?? null, eReceiptQrSvg: e?.qrSvg ?? null });
    o.display?.show(d.line1, d.line2).catch(() => undefined);
  });

  // Live printer state: the queue reports progress, the device monitor reports the printer coming back
  // (which also wakes the queue at once instead of at the end of its backoff).
  printing.onProgress(() => emitStatus());
  o.devices?.on('status', () => {
    printing.kick();
    emitStatus();
  });

  const guard = requireStaff(auth);
  return {
    deps, auth, cart, checkout, cash, returns, substitutions, printing, stock, customers,
    routers: () => [
      stateRouter(),
      peopleRouter(auth, emitStatus),
      catalogRouter(guard, catalog, deps.repos),
      salesRouter(guard, cart, checkout, receipts),
      loyaltyRouter(guard, loyalty),
      cashRouter(guard, cash),
      returnsRouter(guard, returns, receipts),
      substitutionRouter(guard, substitutions, receipts),
      stockRouter(guard, stock),
      vouchersRouter(guard, vouchers),
      privacyRouter(guard, createTillPrivacy({ db: o.db, clock: deps.clock, newId: deps.newId, queued: o.documentsQueued ?? o.stock?.queued })),
      timeClockRouter(pins, createTillTimeClock({ db: o.db, clock: deps.clock, newId: deps.newId, queued: o.documentsQueued ?? o.stock?.queued })),
      timeCorrectionsRouter(pins, createTillCorrections(deps.hq)),
      customersRouter(guard, customers),
      noticesRouter(guard, createTillNotices({ db: o.db, clock: deps.clock, newId: deps.newId, queued: o.documentsQueued ?? o.stock?.queued })),
      tasksRouter(guard, createTillTasks({ db: o.db, clock: deps.clock, newId: deps.newId, queued: o.documentsQueued ?? o.stock?.queued })),
      // Issue 17: incidents reported at the till travel up through the documents outbox.
      qualityRouter(guard, createTillIncidents({ db: o.db, clock: deps.clock, newId: deps.newId, queued: o.documentsQueued ?? o.stock?.queued })),
      printingRouter(deps, guard, printing, receipts, findById, giftDocument, tillReceipts),
      devicesRouter({
        guard,
        manager: o.devices,
        printing,
        audit,
        columns: () => deps.policy.receiptColumns,
        fixedStatus: async () => ({
          description: o.devicesDescription ?? 'fixed ports',
          printer: (await printing.status()).printer,
          drawer: (await o.drawer.status?.().catch(() => undefined)) ?? null,
          scanner: { kind: 'none', connected: false },
          display: { kind: o.display ? 'fixed' : 'none' },
        }),
        testDocument: () => testPageDocument(deps.identity(), o.devices?.config, new Date(deps.clock.now())),
        onChange: emitStatus,
      }),
    ],
    attachSocket(io) {
      io.on('connection', (socket) => {
        const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        const fakeReq = { get: () => (typeof token === 'string' ? `Bearer ${token}` : undefined) } as unknown as Request;
        if (auth.authenticate(bearer(fakeReq)).ok) void socket.join('till');
        status().then((s) => socket.emit('status', s)).catch(() => undefined);
      });
      deps.events.on('cart', (c) => io.to('till').emit('cart', c));
      deps.events.on('display', (d) => io.emit('display', d));
      deps.events.on('status', () => {
        status().then((s) => io.emit('status', s)).catch(() => undefined);
      });
      // Serial / HID scanners: the same `scan` event the screen handles for a logged-in cashier.
      o.devices?.on('scan', (ev) => io.to('till').emit('scan', ev));
    },
    stop: async () => {
      checkpoints.stop();
      await printing.stop();
    },
  };
}
