/**
 * What every admin-UI browser test stands on: a real back office on a SQLite file with the seeded franchise,
 * serving the built UI (backoffice/ui/dist) on a loopback port, its HTTP API for the setup, tills paired
 * the way a manager pairs them (pairing code → token → socket.io), and a Chromium page.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { createBackofficeServer, type BackofficeServer } from '../../../src/server';
import { connectTerminal, engines, F, seedFranchise, type TerminalClient } from '../../support/harness';

export interface AdminUi {
  ds: DataSource;
  server: BackofficeServer;
  url: string;
  page: Page;
  /** POST to the API (JSON body, Bearer token when given). */
  post(pathname: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Pairs a till as HQ does (pairing code, then the till trades it for its token) and connects its sync socket. */
  pairTill(terminalId: string): Promise<TerminalClient>;
  /** Fills the login form and submits it. */
  signIn(who: { email: string; password: string }): Promise<void>;
  close(): Promise<void>;
}

export async function startAdminUi(): Promise<AdminUi> {
  const { ds, teardown } = await engines[0]!.open();
  await seedFranchise(ds);
  const server = createBackofficeServer({ dataSource: ds, version: 'ui-test', uiDist: path.resolve(import.meta.dirname, '../../../ui/dist'), log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), 'tpv-ui-files-')) });
  const url = `http://127.0.0.1:${await server.listen(0)}`;
  let browser: Browser | undefined;

  const post: AdminUi['post'] = async (pathname, token, body) => {
    const res = await fetch(url + pathname, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  let hqToken: string | undefined;
  const pairTill = async (terminalId: string) => {
    hqToken ??= (await post('/api/auth/login', undefined, F.hq)).body.token as string;
    const code = (await post(`/api/terminals/${terminalId}/pairing-code`, hqToken)).body.code as string;
    const paired = await post('/api/pairing', undefined, { code, appVersion: '0.1.0' });
    return connectTerminal(url, terminalId, paired.body.token as string);
  };

  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    return {
      ds,
      server,
      url,
      page,
      post,
      pairTill,
      signIn: async (who) => {
        await page.getByLabel('Correo electrónico').fill(who.email);
        await page.getByLabel('Contraseña').fill(who.password);
        await page.getByRole('button', { name: 'Entrar' }).click();
      },
      close: async () => {
        await browser?.close();
        await server.close();
        await teardown();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    await teardown();
    throw e;
  }
}
