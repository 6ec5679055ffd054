/**
 * Receipts through the real ESC/POS TCP adapter to the virtual printer (TPV_PRINTER wiring): a sale prints
 * its factura simplificada with the AEAT QR and the fiscal-number barcode, the drawer gets its pulse; with the
 * printer offline the sale still commits, the job waits in print_job and prints when the printer is back.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';
import { createTerminalApp } from '../../src/app/terminal-app';
import { devicesFromEnv } from '../../src/printing/devices';
import { EAN, freshTerminalDb, STAFF, tempDir } from './support/fixture';
import { nextReceipt } from './support/printed';

const dir = tempDir('tpv-printing-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('printing through the ESC/POS TCP adapter', () => {
  it('prints the receipt, kicks the drawer, and never loses a job while the printer is offline', async () => {
    const vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    const t = await freshTerminalDb(dir);
    const devices = devicesFromEnv({ TPV_PRINTER: vp.url });
    const app = createTerminalApp({ db: t.db, printer: devices.printer, drawer: devices.drawer });
    const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
    try {
      expect(app.cash.open(me, { '2000': 1 }).ok).toBe(true);
      app.cart.scan(me, EAN.wine);
      const printed = nextReceipt(vp, 'M00101-26T/000001');
      const sale = app.checkout.checkout(me, [{ method: 'cash', amountCents: 2000 }]);
      expect(sale.ok).toBe(true);
      const r = await printed;
      expect(r.lines.some((l) => l.includes('FACTURA SIMPLIFICADA'))).toBe(true);
      expect(r.lines.some((l) => l.includes('QR tributario:'))).toBe(true);
      expect(r.qr[0]).toBe('https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=M00101-26T%2F000001&fecha=' + (sale.ok ? sale.value.ticket.fiscal.issueDate : '') + '&importe=12.50');
      expect(r.cut).toBe(true);
      for (let i = 0; i < 50 && vp.drawer.opens === 0; i++) await new Promise((res) => setTimeout(res, 20));
      expect(vp.drawer.opens).toBeGreaterThanOrEqual(1);

      await vp.setOnline(false);
      app.cart.scan(me, EAN.bread);
      const offline = app.checkout.checkout(me, [{ method: 'card', amountCents: 85, reference: 'A1' }]);
      expect(offline.ok).toBe(true);
      await new Promise((res) => setTimeout(res, 300));
      const pending = t.db.prepare<[], { status: string }>("SELECT status FROM print_job WHERE ticket_id = (SELECT id FROM ticket WHERE number = 2)").get();
      expect(pending?.status).toBe('pending');
      const back = nextReceipt(vp, 'M00101-26T/000002');
      await vp.setOnline(true);
      app.printing.kick();
      await back;
      await app.printing.drained();
      expect(t.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM print_job WHERE status <> 'done'").get()!.n).toBe(0);
    } finally {
      await app.stop();
      await vp.stop();
      await t.ds.destroy();
    }
  });
});
