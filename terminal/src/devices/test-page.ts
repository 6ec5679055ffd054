/** The test page `POST /api/devices/test-print` sends: who, when, which printer, the Spanish characters, a QR. */
import type { ReceiptDocument } from '@tpv/shared/receipt';
import type { TerminalIdentity } from '../identity';
import type { DevicesConfig } from './config';

export function testPageDocument(identity: TerminalIdentity | undefined, config: DevicesConfig | undefined, at: Date): ReceiptDocument {
  const p = config?.printer;
  return {
    title: 'test page',
    blocks: [
      { kind: 'text', text: 'PRUEBA DE IMPRESORA', align: 'center', bold: true, size: 'tall' },
      ...(identity ? [{ kind: 'text' as const, text: `${identity.storeName} · ${identity.terminalName}`, align: 'center' as const }] : []),
      { kind: 'text', text: at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC', align: 'center' },
      { kind: 'separator' },
      { kind: 'row', left: 'Impresora', right: p ? p.kind : 'sin configurar' },
      ...(p && p.kind !== 'none' ? [{ kind: 'row' as const, left: 'Conexión', right: p.interface }, { kind: 'row' as const, left: 'Columnas', right: String(p.columns) }] : []),
      { kind: 'row', left: 'Cajón', right: config?.drawer.kind ?? '-' },
      { kind: 'separator' },
      { kind: 'text', text: 'Caracteres: € ñ Ñ á é í ó ú ü ¿ ¡', align: 'left' },
      { kind: 'row', left: 'Importe de prueba', right: '1.234,56 €', bold: true },
      { kind: 'qr', data: 'TPV PRUEBA DE IMPRESORA', ecc: 'M', moduleSize: 4 },
      { kind: 'feed', lines: 3 },
      { kind: 'cut' },
    ],
  };
}
