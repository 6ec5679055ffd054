import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSaleReceipt } from '@tpv/shared/receipt';
import { VirtualPrinter } from '../../src/virtual/printer';
import { ThermalPrinterAdapter } from '../../src/adapters/thermal-printer';
import { InMemoryPrintJobStore, PrintQueue } from '../../src/print-queue';
import { sale } from '../fixtures/receipts';

const ticket = (n: number) => buildSaleReceipt({ ...sale, fiscalNumber: `T01-2026/${String(n).padStart(6, '0')}` });
const numberOf = (lines: string[]): string | undefined => lines.find((l) => l.startsWith('Num.:'))?.replace(/^Num.: +/, '');
const waitFor = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('print queue against the virtual TCP printer', () => {
  const vp = new VirtualPrinter({ port: 0 });
  const store = new InMemoryPrintJobStore();
  let queue: PrintQueue;

  beforeAll(async () => {
    await vp.start();
    const printer = new ThermalPrinterAdapter({ type: 'epson', connection: vp.url, columns: 48, timeoutMs: 300 });
    queue = new PrintQueue({ store, printer, backoff: { initialMs: 20, maxMs: 100 } });
    queue.start();
  });
  afterAll(async () => {
    await queue.stop();
    await vp.stop();
  });

  it('printer offline mid-shift: 5 jobs wait, then each prints exactly once, in order', async () => {
    await queue.enqueue(ticket(1));
    await queue.drained();
    await waitFor(() => vp.receipts.length === 1);
    expect(vp.receipts.map((r) => numberOf(r.lines))).toEqual(['T01-2026/000001']);

    await vp.setOnline(false);
    const waits: string[] = [];
    queue.on('waiting', (w) => waits.push(w.reason));
    const ids: string[] = [];
    for (let n = 2; n <= 6; n++) ids.push(await queue.enqueue(ticket(n)));
    expect(ids).toHaveLength(5);
    await waitFor(() => waits.length >= 3);
    expect(vp.receipts).toHaveLength(1);
    expect((await store.list(10)).filter((j) => j.state === 'pending')).toHaveLength(5);

    await vp.setOnline(true);
    queue.kick();
    await queue.drained();
    await waitFor(() => vp.receipts.length === 6);
    await new Promise((r) => setTimeout(r, 100));
    expect(vp.receipts.map((r) => numberOf(r.lines))).toEqual([1, 2, 3, 4, 5, 6].map((n) => `T01-2026/${String(n).padStart(6, '0')}`));
    expect((await store.list(10)).every((j) => j.state === 'printed')).toBe(true);
  });

  it('out of paper: nothing is sent (so nothing lost) until paper is back', async () => {
    vp.clear();
    vp.setPaperOut(true);
    const discarded = vp.discardedBytes;
    await queue.enqueue(ticket(7));
    await new Promise((r) => setTimeout(r, 150));
    expect(vp.discardedBytes).toBe(discarded);
    vp.setPaperOut(false);
    queue.kick();
    await queue.drained();
    await waitFor(() => vp.receipts.length === 1);
    expect(numberOf(vp.receipts[0]?.lines ?? [])).toBe('T01-2026/000007');
  });

  it('reprints a past job marked COPIA', async () => {
    vp.clear();
    const [first] = (await store.list(100)).filter((j) => j.copyOf === undefined).sort((a, b) => a.seq - b.seq);
    const copyId = await queue.reprint(first?.id ?? '');
    await queue.drained();
    await waitFor(() => vp.receipts.length === 1);
    expect(vp.receipts[0]?.lines).toContain('*** COPIA ***');
    expect(numberOf(vp.receipts[0]?.lines ?? [])).toBe('T01-2026/000001');
    expect((await store.get(copyId))?.copyOf).toBe(first?.id);
  });
});
