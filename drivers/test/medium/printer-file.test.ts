import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSaleReceipt, documentLines } from '@tpv/shared/receipt';
import { ThermalPrinterAdapter } from '../../src/adapters/thermal-printer';
import { EscPosDecoder, itemsToLines } from '../../src/escpos';
import { sale } from '../fixtures/receipts';

describe('node-thermal-printer to a device file', () => {
  it('writes the job to the file (as to /dev/usb/lp0) and reports the device present', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpv-lp-'));
    const dev = path.join(dir, 'lp0');
    const printer = new ThermalPrinterAdapter({ type: 'epson', connection: dev, columns: 48 });
    expect(await printer.status()).toMatchObject({ online: false, error: 'no device file' });
    fs.writeFileSync(dev, '');
    expect(await printer.status()).toMatchObject({ online: true });
    const doc = buildSaleReceipt(sale);
    await printer.print(doc);
    const items = EscPosDecoder.decode(new Uint8Array(fs.readFileSync(dev)));
    expect(itemsToLines(items).filter((l) => l !== '')).toEqual(documentLines(doc, 48).map((l) => l.text));
    await printer.sendRaw(Uint8Array.of(0x1b, 0x70, 0x00, 0x19, 0xfa));
    expect(EscPosDecoder.decode(new Uint8Array(fs.readFileSync(dev))).filter((i) => i.kind === 'pulse')).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
