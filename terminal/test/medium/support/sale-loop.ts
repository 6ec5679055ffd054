/**
 * Child process for the crash test: sells (and now and then refunds) in a loop on the terminal database given
 * as argv[2] until it is killed. Prints "ready" once the first sale committed, then one line per ticket.
 */
import { openTerminalDatabase, sqliteHandle } from '../../../src/persistence/data-source';
import { createTerminalApp } from '../../../src/app/terminal-app';
import { RecordingDrawer, RecordingPrinter } from '../../../src/printing/devices';
import { EAN, STAFF } from './fixture';

const file = process.argv[2]!;
const ds = await openTerminalDatabase(file);
const app = createTerminalApp({ db: sqliteHandle(ds), printer: new RecordingPrinter(), drawer: new RecordingDrawer() });
const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
if (!app.cash.current()) {
  const r = app.cash.open(me, { '5000': 10 });
  if (!r.ok) throw new Error(r.error.message);
}
let seed = Number(process.argv[3] ?? 1);
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const codes = [EAN.water, EAN.cola, EAN.bread, EAN.wine, '2100001012342'];
let ready = false;
for (let i = 0; ; i++) {
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const s = app.cart.scan(me, codes[Math.floor(rnd() * codes.length)]!);
    if (!s.ok) throw new Error(s.error.message);
  }
  const total = app.cart.priced().totals.total;
  const r = rnd() < 0.5
    ? app.checkout.checkout(me, [{ method: 'cash', amountCents: total + 100 }])
    : app.checkout.checkout(me, [{ method: 'card', amountCents: total, reference: `R${i}` }]);
  if (!r.ok) throw new Error(r.error.message);
  process.stdout.write(`sale ${r.value.ticket.seq}\n`);
  if (i % 3 === 2) {
    // refund one unit / some grams of a random earlier sale, if anything is left on it
    const seq = 1 + Math.floor(rnd() * r.value.ticket.seq);
    const row = sqliteHandle(ds).prepare<[number], { fiscal_number: string; kind: string }>('SELECT fiscal_number, kind FROM ticket WHERE seq = ?').get(seq);
    if (row?.kind === 'sale') {
      const look = await app.returns.lookup(row.fiscal_number);
      const line = look.ok ? look.value.lines.find((l) => l.returnable > 0) : undefined;
      if (look.ok && line) {
        const q = line.quantity.kind === 'units' ? { units: 1 } : { grams: Math.min(100, line.returnable) };
        const rr = await app.returns.createReturn(me, { originalTicketId: look.value.ticket.id, lines: [{ lineNo: line.lineNo, ...q }], refund: { method: 'card', reference: 'X' } });
        if (!rr.ok && rr.error.code !== 'CASH_OUT_EXCEEDS_DRAWER') throw new Error(rr.error.message);
        if (rr.ok) process.stdout.write(`return ${rr.value.ticket.seq}\n`);
      }
    }
  }
  if (!ready) {
    ready = true;
    process.stdout.write('ready\n');
  }
  await new Promise((resolve) => setImmediate(resolve));
}
