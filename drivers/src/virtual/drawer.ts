import { EventEmitter } from 'node:events';

/**
 * A cash drawer on a printer's kick connector: opens on a pulse on its pin that lasts at least `minOnMs`,
 * stays open until `close()` (the cashier pushes it shut). Observable: `open`, `opens`, events.
 */
export class VirtualDrawer extends EventEmitter<{ opened: [{ pin: 2 | 5; onMs: number }]; closed: [] }> {
  open = false;
  opens = 0;
  readonly pulses: { pin: 2 | 5; onMs: number; offMs: number }[] = [];

  constructor(readonly opts: { pin?: 2 | 5; minOnMs?: number } = {}) {
    super();
  }

  pulse(pin: 2 | 5, onMs: number, offMs = 0): boolean {
    this.pulses.push({ pin, onMs, offMs });
    if (pin !== (this.opts.pin ?? 2) || onMs < (this.opts.minOnMs ?? 10)) return false;
    this.open = true;
    this.opens++;
    this.emit('opened', { pin, onMs });
    return true;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.emit('closed');
  }
}
