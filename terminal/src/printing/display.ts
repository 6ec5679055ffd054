/**
 * Customer pole display (2 × 20): the last item rung up and the running total, then total and change after a
 * sale. The same two lines go to the screen as the socket `display` event (the contract's virtual display).
 */
import type { CustomerDisplay } from '@tpv/drivers/ports';
import { formatMoney } from '@tpv/shared/money';

export const DISPLAY_WIDTH = 20;

/** `TOTAL        17,35 €` — left text cut to leave room for the right one. */
export function displayRow(left: string, right: string, width = DISPLAY_WIDTH): string {
  const room = width - right.length - 1;
  return room <= 0 ? right.slice(0, width) : `${left.slice(0, room).padEnd(room)} ${right}`;
}

export interface DisplayLines {
  line1: string;
  line2: string;
}

export function cartDisplay(cart: { lines: ReadonlyArray<{ description: string; total: number }>; totals: { total: number } }): DisplayLines {
  const last = cart.lines[cart.lines.length - 1];
  if (!last) return { line1: displayRow('Bienvenido', ''), line2: '' };
  return { line1: displayRow(last.description, formatMoney(last.total, 'es')), line2: displayRow('TOTAL', formatMoney(cart.totals.total, 'es')) };
}

export function saleDisplay(total: number, change: number): DisplayLines {
  return { line1: displayRow('TOTAL', formatMoney(total, 'es')), line2: displayRow('CAMBIO', formatMoney(change, 'es')) };
}

/** A pole display on a serial port (`TPV_DISPLAY=/dev/ttyUSB0[@9600]`), loaded only when configured. */
export function serialDisplayFromEnv(value: string | undefined): CustomerDisplay | undefined {
  const spec = value?.trim();
  if (!spec) return undefined;
  const [devicePath, baud] = spec.split('@');
  let port: Promise<CustomerDisplay> | undefined;
  const get = () =>
    (port ??= import('@tpv/drivers/adapters/pole-display').then((m) => new m.SerialPoleDisplay({ path: devicePath!, baudRate: Number(baud ?? 9600) })));
  return {
    show: async (l1, l2) => (await get()).show(l1, l2),
    clear: async () => (await get()).clear(),
  };
}
