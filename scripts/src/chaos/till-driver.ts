/**
 * Drives a running terminal over its HTTP API the way a cashier does — PIN login, open the drawer, scan,
 * cash checkout, now and then a return — and survives the terminal being killed under it: any failed
 * request waits for the terminal to come back, logs in again and carries on with whatever cart it finds.
 * For chaos tests and load; counts what it knows was committed (the databases are the judge).
 */
export interface TillDriverOptions {
  url: string;
  pin: string;
  /** Barcodes of unit-priced articles to scan. */
  barcodes: readonly string[];
  /** Every n-th sale is followed by a return of one unit of that sale's first line (0 = never). */
  returnEvery?: number;
  seed?: number;
  /** Called before each checkout (a chaos hook: e.g. kill the terminal mid-commit). */
  beforeCheckout?: (saleNo: number) => void;
}

export interface TillDriverStats {
  sales: number;
  returns: number;
  /** Requests that failed (terminal down, link cut) and were retried. */
  failures: number;
  /** Checkouts whose outcome was unknown (connection died mid-request). */
  inDoubt: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`${status} ${body.slice(0, 300)}`);
  }
}

export class TillDriver {
  readonly stats: TillDriverStats = { sales: 0, returns: 0, failures: 0, inDoubt: 0 };
  private token: string | undefined;
  private rnd: () => number;
  private stopped = false;

  constructor(private readonly o: TillDriverOptions) {
    let a = (o.seed ?? 1) >>> 0;
    this.rnd = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sells until `sales` checkouts are confirmed (or stop() is called). */
  async run(sales: number): Promise<TillDriverStats> {
    while (!this.stopped && this.stats.sales < sales) {
      try {
        await this.ensureReady();
        const ticket = await this.sellOne();
        if (ticket && this.o.returnEvery && this.stats.sales % this.o.returnEvery === 0) await this.returnOne(ticket);
      } catch (e) {
        if (e instanceof HttpError && e.status >= 400 && e.status < 500 && e.status !== 401) throw e; // a real bug: surface it
        this.stats.failures++;
        this.token = undefined;
        await this.waitUp();
      }
    }
    return this.stats;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.o.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) throw new HttpError(res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async waitUp(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!this.stopped && Date.now() < deadline) {
      try {
        const res = await fetch(`${this.o.url}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // still down
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async ensureReady(): Promise<void> {
    if (!this.token) {
      const r = await this.call<{ token: string }>('POST', '/api/auth/login', { pin: this.o.pin });
      this.token = r.token;
    }
    const session = await this.call<unknown>('GET', '/api/cash/session');
    if (!session) await this.call('POST', '/api/cash/open', { float: { '5000': 4, '2000': 5, '1000': 5, '500': 10 } });
  }

  private async sellOne(): Promise<{ id: string } | undefined> {
    type Cart = { lines: unknown[]; totals: { total: number } };
    let cart = await this.call<Cart>('GET', '/api/cart');
    if (cart.lines.length === 0) {
      const n = 1 + Math.floor(this.rnd() * 3);
      for (let i = 0; i < n; i++) {
        const code = this.o.barcodes[Math.floor(this.rnd() * this.o.barcodes.length)]!;
        cart = await this.call<Cart>('POST', '/api/cart/scan', { code });
      }
    }
    const amount = Math.ceil(cart.totals.total / 500) * 500 || 500;
    this.o.beforeCheckout?.(this.stats.sales + 1);
    let out: { ticket: { id: string } };
    try {
      out = await this.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: amount }] });
    } catch (e) {
      if (!(e instanceof HttpError)) this.stats.inDoubt++;
      throw e;
    }
    this.stats.sales++;
    return out.ticket;
  }

  private async returnOne(ticket: { id: string }): Promise<void> {
    await this.call('POST', '/api/returns', { originalTicketId: ticket.id, lines: [{ lineNo: 1, units: 1 }], refund: { method: 'cash' } });
    this.stats.returns++;
  }
}
