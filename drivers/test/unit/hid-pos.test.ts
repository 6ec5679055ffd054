import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { HidPosReassembler, HidPosScanner, parseAimPrefix, type HidDeviceLike } from '../../src/adapters/hid-pos';
import type { ScanEvent } from '../../src/ports';

/** A 64-byte HID POS input report: id 2, length, AIM id (3 bytes), data, …, more-flag in the last byte. */
function report(data: string, opts: { aim?: string; more?: boolean } = {}): Uint8Array {
  const r = new Uint8Array(64);
  r[0] = 0x02;
  r[1] = data.length;
  if (opts.aim) r.set(Buffer.from(opts.aim, 'latin1'), 2);
  r.set(Buffer.from(data, 'latin1'), 5);
  r[63] = opts.more ? 0x01 : 0x00;
  return r;
}

/** Splits a payload into reports of up to 58 data bytes, flags set on all but the last. */
function reports(payload: string, aim?: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < payload.length; i += 58) {
    out.push(report(payload.slice(i, i + 58), { ...(aim ? { aim } : {}), more: i + 58 < payload.length }));
  }
  return out;
}

describe('HID POS report reassembly', () => {
  it('single report EAN-13 with AIM ]E0 in the header', () => {
    const r = new HidPosReassembler('hid:test');
    expect(r.push(report('8410000810004', { aim: ']E0' }))).toEqual({ data: '8410000810004', symbology: 'EAN13', source: 'hid:test' });
  });

  it('multi-report QR (a ValidarQR URL, 150 bytes) is joined across three reports', () => {
    const url = 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=T01-2026%2F000123&fecha=23-11-2026&importe=17.35';
    const seq = reports(url, ']Q1');
    expect(seq).toHaveLength(3);
    const r = new HidPosReassembler();
    expect(r.push(seq[0] ?? new Uint8Array())).toBeNull();
    expect(r.push(seq[1] ?? new Uint8Array())).toBeNull();
    expect(r.push(seq[2] ?? new Uint8Array())).toEqual({ data: url, symbology: 'QR', source: 'hid' });
  });

  it('AIM identifier at the head of the data (no header id) is stripped', () => {
    const r = new HidPosReassembler();
    expect(r.push(report(']C10108412345678904'))).toMatchObject({ data: '0108412345678904', symbology: 'GS1-128' });
    expect(r.push(report(']E4' + '84123457'))).toMatchObject({ data: '84123457', symbology: 'EAN8' });
  });

  it('identifier in both places is not stripped twice; unknown reports are ignored', () => {
    const r = new HidPosReassembler();
    expect(r.push(report(']C0ABC-123', { aim: ']C0' }))).toMatchObject({ data: 'ABC-123', symbology: 'CODE128' });
    expect(r.push(Uint8Array.of(0x01, 0x02, 0x03))).toBeNull();
    expect(r.push(report('4006381333931'))).toMatchObject({ data: '4006381333931', symbology: 'EAN13' });
  });

  it.each([
    [']A0CODE39', 'CODE39', 'CODE39'],
    [']d2010841', 'DATAMATRIX', '010841'],
    [']L0PDF', 'PDF417', 'PDF'],
    [']e0011234', 'GS1-DATABAR', '011234'],
    ['HELLO', 'UNKNOWN', 'HELLO'],
  ])('parseAimPrefix(%s)', (raw, sym, data) => expect(parseAimPrefix(raw)).toMatchObject({ symbology: sym, data }));
});

describe('HidPosScanner with a fake device', () => {
  it('emits scans, and reconnects after the device errors (unplug)', async () => {
    const devices: (EventEmitter & HidDeviceLike)[] = [];
    let fail = 0;
    const scanner = new HidPosScanner({
      vendorId: 0x0c2e,
      productId: 0x0b61,
      reconnect: { initialMs: 5, maxMs: 20 },
      open: async () => {
        if (fail-- > 0) throw new Error('not plugged');
        const d = Object.assign(new EventEmitter(), { close: () => undefined }) as EventEmitter & HidDeviceLike;
        devices.push(d);
        return d;
      },
    });
    const scans: ScanEvent[] = [];
    scanner.on('scan', (s) => scans.push(s));
    scanner.on('error', () => undefined);
    await scanner.connect();
    devices[0]?.emit('data', Buffer.from(report('8410000810004', { aim: ']E0' })));
    fail = 2;
    const back = new Promise<void>((r) => scanner.once('connected', () => r()));
    devices[0]?.emit('error', new Error('device disconnected'));
    expect(scanner.connected).toBe(false);
    await back;
    devices[1]?.emit('data', Buffer.from(report('ABC', { aim: ']C0' })));
    expect(scans).toEqual([
      { data: '8410000810004', symbology: 'EAN13', source: 'hid:0c2e:0b61' },
      { data: 'ABC', symbology: 'CODE128', source: 'hid:0c2e:0b61' },
    ]);
    await scanner.disconnect();
  });

  it('a scanner stopped while its device is still opening stays stopped and closes the device', async () => {
    let finishOpen!: () => void;
    let closed = 0;
    const scanner = new HidPosScanner({
      reconnect: { initialMs: 5, maxMs: 20 },
      open: () =>
        new Promise<HidDeviceLike>((resolve) => {
          finishOpen = () => resolve(Object.assign(new EventEmitter(), { close: () => void closed++ }) as EventEmitter & HidDeviceLike);
        }),
    });
    const events: string[] = [];
    scanner.on('connected', () => events.push('connected'));
    scanner.on('disconnected', () => events.push('disconnected'));
    const opening = scanner.connect();
    await scanner.disconnect();
    finishOpen();
    await opening;
    expect(scanner.connected).toBe(false);
    expect(events).toEqual([]);
    expect(closed).toBe(1);
  });
});
