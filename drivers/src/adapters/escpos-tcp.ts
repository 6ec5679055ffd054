/**
 * `ReceiptPrinter` that prints with our own ESC/POS encoder over raw TCP (no node-thermal-printer):
 * one connection per job, status by DLE EOT.
 */
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { encodeReceipt } from '../escpos/encoder';
import type { CodePageName } from '../escpos/codepage';
import { OFFLINE, type PrinterStatus, type ReceiptPrinter } from '../ports';
import { parseTcpUrl, queryTcpStatus, sendTcpRaw } from './tcp-status';

export class EscPosTcpPrinter implements ReceiptPrinter {
  private readonly host: string;
  private readonly port: number;

  constructor(
    url: string,
    private readonly opts: { columns: 32 | 48; codePage?: CodePageName; timeoutMs?: number },
  ) {
    const t = parseTcpUrl(url);
    if (!t) throw new Error(`not a tcp:// printer url: ${url}`);
    this.host = t.host;
    this.port = t.port;
  }

  print(doc: ReceiptDocument): Promise<void> {
    const bytes = encodeReceipt(doc, { columns: this.opts.columns, codePage: this.opts.codePage ?? 'CP858' });
    return sendTcpRaw(this.host, this.port, bytes, this.opts.timeoutMs ?? 3000);
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
