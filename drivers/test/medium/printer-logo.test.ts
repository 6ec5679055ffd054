import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { concatBytes, cut, init, line, printLogoCommand, type MonoBitmap } from '../../src/escpos';
import { VirtualPrinter } from '../../src/virtual/printer';

const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Sends one job on its own connection, as the till does, and closes it. */
const send = (port: number, bytes: Uint8Array): Promise<void> =>
  new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(bytes));
    s.on('close', () => resolve());
    s.on('error', reject);
  });

// 16 × 2 dots: a frame row and a dotted row
const logo: MonoBitmap = { widthDots: 16, heightDots: 2, bits: Uint8Array.of(0xff, 0xff, 0xaa, 0xaa) };

describe('virtual printer keeps a stored logo across jobs (GS ( L NV graphics)', () => {
  const vp = new VirtualPrinter({ port: 0, columns: 48 });
  beforeAll(async () => {
    await vp.start();
  });
  afterAll(() => vp.stop());

  it('stores with the first receipt, prints by key on the next; its picture shows the logo both times', async () => {
    let stored = false;
    for (const n of [1, 2]) {
      const cmd = printLogoCommand(logo, 'gs_paren_l', 'TP', stored);
      stored = cmd.stored;
      await send(vp.port, concatBytes([init(), cmd.bytes, line(`Ticket ${n}`), cut()]));
      await waitFor(() => vp.receipts.length === n);
      const r = vp.last;
      expect(r?.lines).toEqual([`Ticket ${n}`]);
      expect(r?.images).toEqual([{ source: 'GS ( L', widthDots: 16, heightDots: 2, key: 'TP' }]);
      expect(r?.svg).toMatch(/<image [^>]*data-image-source="GS \( L" data-key="TP" href="data:image\/png;base64,/);
      expect(r?.items.filter((i) => i.kind === 'unknown')).toEqual([]);
    }
    expect([...vp.memory.nvGraphics.keys()]).toEqual(['TP']);
  });
});
