/**
 * The open cart survives a crash of the service: every change is written to `terminal_config` (key `cart`)
 * before the answer goes back. Cart writes run with synchronous=NORMAL (in WAL mode a committed write
 * survives a process crash; only an OS crash / power cut could lose the last few scans), the sale itself
 * commits with FULL. The row is deleted inside the sale transaction, so a cart is either still open or sold.
 */
import type { SqliteHandle } from '../persistence/data-source';
import type { Cart } from './cart';

const KEY = 'cart';

export interface ParkedCart { id: string; label: string | null; cashierId: string; createdAt: string; lines: number; cart: Cart }

export interface CartStore {
  load(): Cart | undefined;
  save(cart: Cart): void;
  /** Writes the open cart inside the caller's transaction (with what else it writes: a void's audit and outbox rows). */
  saveInTransaction(cart: Cart): void;
  /** Deletes the open cart row; call inside the sale transaction, then `forget()` after commit. */
  deleteInTransaction(): void;
  forget(): void;
  park(cart: Cart, meta: { id: string; label: string | null; cashierId: string; createdAt: string }): void;
  listParked(): ParkedCart[];
  /** Moves a parked cart back to open; false if it does not exist. */
  resume(id: string): Cart | undefined;
}

export function createCartStore(db: SqliteHandle, transaction: <T>(fn: () => T) => T): CartStore {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?');
  const put = db.prepare('INSERT INTO terminal_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const del = db.prepare('DELETE FROM terminal_config WHERE key = ?');
  const insParked = db.prepare('INSERT INTO parked_ticket (id, label, cashier_id, created_at, draft) VALUES (?, ?, ?, ?, ?)');
  const listParked = db.prepare<[], { id: string; label: string | null; cashier_id: string; created_at: string; draft: string }>(
    'SELECT id, label, cashier_id, created_at, draft FROM parked_ticket ORDER BY created_at, id',
  );
  const getParked = db.prepare<[string], { draft: string }>('SELECT draft FROM parked_ticket WHERE id = ?');
  const delParked = db.prepare('DELETE FROM parked_ticket WHERE id = ?');
  let cache: Cart | undefined | null = null; // null = not loaded yet

  const normal = db.prepare('PRAGMA synchronous = NORMAL');
  const full = db.prepare('PRAGMA synchronous = FULL');
  const relaxed = <T>(fn: () => T): T => {
    normal.run();
    try {
      return fn();
    } finally {
      full.run();
    }
  };

  return {
    load() {
      if (cache === null) {
        const row = get.get(KEY);
        cache = row ? (JSON.parse(row.value) as Cart) : undefined;
      }
      return cache;
    },
    save(cart) {
      const json = JSON.stringify(cart);
      relaxed(() => put.run(KEY, json));
      cache = cart;
    },
    saveInTransaction(cart) {
      put.run(KEY, JSON.stringify(cart));
      // Read again after the transaction: a rollback must not leave this copy as the open cart.
      cache = null;
    },
    deleteInTransaction() {
      del.run(KEY);
    },
    forget() {
      cache = undefined;
    },
    park(cart, meta) {
      transaction(() => {
        insParked.run(meta.id, meta.label, meta.cashierId, meta.createdAt, JSON.stringify(cart));
        del.run(KEY);
      });
      cache = undefined;
    },
    listParked() {
      return listParked.all().map((r) => {
        const cart = JSON.parse(r.draft) as Cart;
        return { id: r.id, label: r.label, cashierId: r.cashier_id, createdAt: r.created_at, lines: cart.lines.length, cart };
      });
    },
    resume(id) {
      const cart = transaction(() => {
        const row = getParked.get(id);
        if (!row) return undefined;
        delParked.run(id);
        put.run(KEY, row.draft);
        return JSON.parse(row.draft) as Cart;
      });
      if (cart) cache = cart;
      return cart;
    },
  };
}
