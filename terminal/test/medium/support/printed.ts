import type { PrintedReceipt, VirtualPrinter } from '@tpv/drivers/virtual/printer';

/** Resolves with the next receipt the virtual printer decodes whose CODE128 is `fiscalNumber`. */
export const nextReceipt = (vp: VirtualPrinter, fiscalNumber: string) =>
  new Promise<PrintedReceipt>((resolve) => {
    const check = (r: PrintedReceipt) => {
      if (r.barcodes.some((b) => b.data === fiscalNumber)) {
        vp.off('receipt', check);
        resolve(r);
      }
    };
    vp.on('receipt', check);
  });
