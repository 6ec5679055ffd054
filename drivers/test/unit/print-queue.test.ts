import { describe, expect, it } from 'vitest';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { InMemoryPrintJobStore, PrintQueue } from '../../src/print-queue';
import type { PrinterStatus, ReceiptPrinter } from '../../src/ports';

class FakePrinter implements ReceiptPrinter {
  online = true;
  failNext = false;
  printed: string[] = [];
  async print(doc: ReceiptDocument): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection reset');
    }
    this.printed.push(doc.title);
  }
  async status(): Promise<PrinterStatus> {
    return { online: this.online, coverOpen: false, paperNearEnd: false, paperOut: false };
  }
}

const doc = (title: string): ReceiptDocument => ({ title, blocks: [{ kind: 'text', text: title }] });

describe('PrintQueue', () => {
  it('enqueue returns before printing and jobs print in order; a failed send is retried, not skipped', async () => {
    const printer = new FakePrinter();
    printer.online = false;
    const store = new InMemoryPrintJobStore();
    const q = new PrintQueue({ store, printer, backoff: { initialMs: 5, maxMs: 10 } });
    q.start();
    for (const t of ['a', 'b', 'c']) await q.enqueue(doc(t));
    expect(printer.printed).toEqual([]);
    printer.failNext = true;
    printer.online = true;
    q.kick();
    await q.drained();
    expect(printer.printed).toEqual(['a', 'b', 'c']);
    const jobs = await store.list(10);
    expect(jobs.find((j) => j.doc.title === 'a')).toMatchObject({ attempts: 2, lastError: 'connection reset', state: 'printed' });
    await q.stop();
  });

  it('store rejects duplicate ids', () => {
    const s = new InMemoryPrintJobStore();
    s.insert({ id: 'x', doc: doc('x'), createdAt: '2026-01-01T00:00:00Z' });
    expect(() => s.insert({ id: 'x', doc: doc('x'), createdAt: '2026-01-01T00:00:00Z' })).toThrow();
  });
});
