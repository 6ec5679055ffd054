/**
 * Staff on the till as the back office's change feed leaves them (issue #9 point 3): staff moved to another
 * store arrive as a delete, deactivated staff as inactive — their PIN opens nothing any more; and a PIN that
 * opens more than one active staff member's hash is refused rather than logging in "the first match" (a
 * cashier must never get a supervisor's rights). Real SQLite file, real argon2 hashes.
 */
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { DEFAULT_POLICY } from '../../src/app/policy';
import { createPinVerifier, type PinVerifier } from '../../src/people/pins';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { createCatalogStore, type CatalogStore } from '../../src/sync';
import { TempDir, identityFor, openTerminal } from './sync-fixtures';

const tmp = new TempDir();
const sid = (n: number) => `00000000-0000-7000-8009-${String(n).padStart(12, '0')}`;

describe('staff PINs on the till after master-data changes', () => {
  let ds: DataSource;
  let db: SqliteHandle;
  let catalog: CatalogStore;
  let pins: PinVerifier;
  let version = 0;
  const hashes = new Map<string, string>();
  const hash = async (pin: string) => hashes.get(pin) ?? (hashes.set(pin, await argon2.hash(pin, { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 })), hashes.get(pin)!);

  async function apply(changes: Array<{ id: string; op: 'upsert' | 'delete'; pin?: string; role?: string; active?: boolean }>) {
    const from = version;
    const page = {
      fromVersion: from,
      toVersion: from + changes.length,
      hasMore: false,
      changes: await Promise.all(
        changes.map(async (c, i) => ({
          version: from + i + 1,
          entity: 'staff',
          id: c.id,
          op: c.op,
          data: c.op === 'delete' ? null : { id: c.id, code: `C-${c.id.slice(-4)}`, name: `Staff ${c.id.slice(-2)}`, role: c.role ?? 'cashier', pinHash: await hash(c.pin!), active: c.active ?? true },
        })),
      ),
    };
    catalog.applyPage(page, new Date().toISOString());
    version = page.toVersion;
  }

  beforeAll(async () => {
    ({ ds, db } = await openTerminal(tmp.file(), identityFor(91)));
    catalog = createCatalogStore(db);
    // A lockout would hide what is being measured: no limit here (the limiter has its own tests).
    pins = createPinVerifier(db, { ...DEFAULT_POLICY, pinMaxFailures: 1_000 });
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    tmp.remove();
  });

  it('refuses the PIN of staff moved to another store (deleted here) and of deactivated staff', async () => {
    await apply([
      { id: sid(1), op: 'upsert', pin: '1111' },
      { id: sid(2), op: 'upsert', pin: '2222', role: 'supervisor' },
    ]);
    expect(await pins.verify('1111')).toMatchObject({ ok: true, value: { id: sid(1) } });
    expect(await pins.verify('2222')).toMatchObject({ ok: true, value: { id: sid(2) } });
    await apply([{ id: sid(1), op: 'delete' }]);
    expect(await pins.verify('1111')).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
    await apply([{ id: sid(2), op: 'upsert', pin: '2222', role: 'supervisor', active: false }]);
    expect(await pins.verify('2222')).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
    expect(await pins.verifySupervisor('2222')).toMatchObject({ ok: false });
  });

  it('refuses a PIN shared by two active staff members instead of logging in the first match, even once remembered', async () => {
    await apply([{ id: sid(3), op: 'upsert', pin: '3333' }]);
    expect(await pins.verify('3333')).toMatchObject({ ok: true, value: { id: sid(3), role: 'cashier' } });
    // A supervisor with the same PIN arrives (data from before HQ refused clashes): nobody logs in with it.
    await apply([{ id: sid(4), op: 'upsert', pin: '3333', role: 'supervisor' }]);
    expect(await pins.verify('3333')).toMatchObject({ ok: false, error: { code: 'PIN_AMBIGUOUS' } });
    expect(await pins.verifySupervisor('3333')).toMatchObject({ ok: false });
    // Once one of them gets another PIN, each PIN opens exactly its owner.
    await apply([{ id: sid(4), op: 'upsert', pin: '4444', role: 'supervisor' }]);
    expect(await pins.verify('3333')).toMatchObject({ ok: true, value: { id: sid(3) } });
    expect(await pins.verifySupervisor('4444')).toMatchObject({ ok: true, value: { id: sid(4) } });
  });
});
