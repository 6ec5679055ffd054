/**
 * Staff moved or deactivated at HQ disappear from the old store's till (issue #9 point 3), end to end: the
 * real back-office process, a till paired by code and synced by its SyncClient, and the till's own PIN
 * verifier. A franchisee manager moves the cashier to their other store and deactivates the supervisor; the
 * old store's till then refuses both PINs. Before the fix the moved cashier kept logging in there.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { DEFAULT_POLICY } from '@tpv/terminal/app/policy';
import { createPinVerifier } from '@tpv/terminal/people/pins';
import { until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, pairingCodeFromHq, pairingTerminal } from './support/paired-terminal';

const folder = backofficeFolder('tpv-staff-scope-');
afterAll(() => folder.cleanup());

describe('staff scoping ↔ the till', () => {
  it('a cashier moved to another store and a deactivated supervisor can no longer log in at the old store’s till', async () => {
    const franchise = buildDemoFranchise();
    await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: [] });
    const port = await freePort();
    await folder.start(port);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const store = franchise.stores.find((s) => s.id === terminal.storeId)!;
    const other = franchise.stores.find((s) => s.companyId === store.companyId && s.id !== store.id)!;
    const manager = franchise.users.find((u) => u.role === 'franchisee_manager' && u.companyId === store.companyId)!;
    const [cashier, supervisor] = ['cashier', 'supervisor'].map((role) => franchise.staff.find((s) => s.storeId === store.id && s.role === role)!);

    const { ds, db, client, logs } = await pairingTerminal(path.join(folder.dataDir, 'terminal.sqlite'), url, await pairingCodeFromHq(url, franchise, terminal.id), 5000);
    try {
      await client.start();
      const synced = (version: number) =>
        until(() => client.status().online && !client.status().catalog.loading && client.status().catalog.version >= version, 60_000, `catalogue ${version} (${logs.slice(-3).join(' | ')})`);
      await synced(1);
      const pins = createPinVerifier(db, DEFAULT_POLICY);
      expect(await pins.verify(cashier!.pin)).toMatchObject({ ok: true, value: { id: cashier!.id } });
      expect(await pins.verify(supervisor!.pin)).toMatchObject({ ok: true, value: { id: supervisor!.id } });

      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: manager.password }) });
      const { token } = (await login.json()) as { token: string };
      const put = async (s: typeof cashier, body: Record<string, unknown>) => {
        const res = await fetch(`${url}/api/staff/${s!.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ companyId: s!.companyId, storeId: s!.storeId, code: s!.code, name: s!.name, role: s!.role, active: true, ...body }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
        return ((await res.json()) as { version: number }).version;
      };
      await put(cashier, { storeId: other.id, pin: '5678' });
      const version = await put(supervisor, { active: false });
      client.notify();
      await synced(version);
      expect(await pins.verify(cashier!.pin)).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
      expect(await pins.verify('5678')).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
      expect(await pins.verifySupervisor(supervisor!.pin)).toMatchObject({ ok: false });
      expect(db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM staff WHERE id = ?').get(cashier!.id)!.n).toBe(0);
    } finally {
      await client.stop();
      if (ds.isInitialized) await ds.destroy();
    }
  });
});
