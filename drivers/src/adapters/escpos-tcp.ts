/**
 * `ReceiptPrinter` that prints with our own ESC/POS encoder over raw TCP (no node-thermal-printer):
 * one connection per job, status by DLE EOT.
 *
 * Logos (issue 19) by the printer's profile: `gs_paren_l` stores the logo in the printer's NV memory once
 * and prints it by key on every receipt; `raster` sends the picture (`GS v 0`) each time. Which logo the
 * printer holds is kept by the caller (`LogoMemory`, the till's SQLite), remembered only once a job that
 * stored it was handed over, so a failed job stores it again next time.
 */
export interface LogoMemory {
  held(printer: string): string | null;
  remember(printer: string, logoId: string | null): void;
}

const volatileMemory = (): LogoMemory => {
  const m = new Map<string, string | null>();
  return { held: (p) => m.get(p) ?? null, remember: (p, id) => void m.set(p, id) };
};
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { encodeReceiptJob } from '../escpos/encoder';
import type { CodePageName } from '../escpos/codepage';
import type { LogoMode } from '../escpos/logo';
import { OFFLINE, type PrinterStatus, type ReceiptPrinter } from '../ports';
import { parseTcpUrl, queryTcpStatus, sendTcpRaw } from './tcp-status';

export class EscPosTcpPrinter implements ReceiptPrinter {
  private readonly host: string;
  private readonly port: number;

  constructor(
    readonly url: string,
    private readonly opts: { columns: 32 | 48; codePage?: CodePageName; timeoutMs?: number; logoMode?: LogoMode; logoMemory?: LogoMemory },
  ) {
    this.memory = opts.logoMemory ?? volatileMemory();
    const t = parseTcpUrl(url);
    if (!t) throw new Error(`not a tcp:// printer url: ${url}`);
    this.host = t.host;
    this.port = t.port;
  }

  private readonly memory: LogoMemory;

  /** The bytes the next `print(doc)` sends, and the logo the printer holds after them. */
  render(doc: ReceiptDocument): { bytes: Uint8Array; storedLogoId: string | null } {
    return encodeReceiptJob(doc, {
      columns: this.opts.columns,
      codePage: this.opts.codePage ?? 'CP858',
      logo: { mode: this.opts.logoMode ?? 'raster', storedLogoId: this.memory.held(this.url) },
    });
  }

  async print(doc: ReceiptDocument): Promise<void> {
    const before = this.memory.held(this.url);
    const job = this.render(doc);
    await sendTcpRaw(this.host, this.port, job.bytes, this.opts.timeoutMs ?? 3000);
    if (job.storedLogoId !== before) this.memory.remember(this.url, job.storedLogoId);
  }

  sendRaw(bytes: Uint8Array): Promise<void> {
    return sendTcpRaw(this.host, this.port, bytes, this.opts.timeoutMs ?? 3000);
  }

  async status(): Promise<PrinterStatus> {
    try {
      return await queryTcpStatus(this.host, this.port, this.opts.timeoutMs ?? 1500);
    } catch (e) {
      return { ...OFFLINE, error: (e as Error).message };
    }
  }
}
