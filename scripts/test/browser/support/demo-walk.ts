/**
 * The stage of the browser walks: the demo franchise seeded into a back-office folder and into one database per
 * till, the real back office (`backoffice/src/main.ts`) and real tills (`terminal/src/main.ts`) paired with HQ by
 * code and online, Chromium with a till page per till, and the admin page as a Spanish user in Madrid sees it.
 * Each walk keeps its own story; this keeps the stage one piece of code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { freePort } from '@tpv/runtime/testing/ports';
import type { DemoFranchise, DemoTerminal } from '../../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../../src/seed/write';
import { startProcess, type Child } from '../../../src/processes';
import { pairingCodeFromHq, type BackofficeFolder } from '../../system/support/paired-terminal';
import { ensureUiBuilt, REPO_ROOT } from '../../../../terminal/test/browser/support/seeded-terminal';
import { openTillPage, type TillPage } from '../../../../terminal/test/browser/support/till-page';

/** Polls `cond` every 100 ms (a poll interval, not a wait for an outcome) until it holds; throws after `ms`. */
export async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await Promise.resolve().then(cond).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface DemoWalk {
  /** The back office's address. */
  url: string;
  hq: Child;
  tillUrls: string[];
  tillProcs: Child[];
  /** The till pages, in the order of `tills` (or of `pagesFor`). */
  ui: TillPage[];
  browser: Browser & { cleanup(): Promise<void> };
  /** Till i's database file. */
  dbOf(i: number): string;
  /** Till i's GET /api/state. */
  state<T = { sync: { online: boolean; pendingCount: number; documents: { pending: number } } }>(i: number): Promise<T>;
  /** A bearer token for a back-office user. */
  token(who: { email: string; password: string }): Promise<string>;
  /** A new admin page (es-ES, Europe/Madrid, downloads accepted). */
  adminPage(viewport?: { width: number; height: number }, timeoutMs?: number): Promise<Page>;
  /** Stops the browser and the tills (the folder's cleanup stops the back office and removes the data). */
  stop(): Promise<void>;
}

export async function startDemoWalk(opts: {
  folder: BackofficeFolder;
  franchise: DemoFranchise;
  tills: DemoTerminal[];
  /** Extra environment for till i (its devices file, say). */
  tillEnv?: (i: number, terminal: DemoTerminal) => Record<string, string>;
  /** How long the tills may take to come online (a bound for a loaded machine). */
  onlineTimeoutMs?: number;
  /** Which tills get a page (all unless told). */
  pagesFor?: number[];
}): Promise<DemoWalk> {
  const { folder, franchise, tills } = opts;
  ensureUiBuilt();
  if (!readFileSync(path.join(REPO_ROOT, 'backoffice/ui/dist/index.html'), 'utf8').includes('<div id="root">')) throw new Error('the admin UI is not built');
  const dbOf = (i: number) => path.join(folder.dataDir, `terminal-${i}.sqlite`);
  await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: tills.map((t, i) => ({ terminal: t, file: dbOf(i) })) });
  const hqPort = await freePort();
  const url = `http://127.0.0.1:${hqPort}`;
  const hq = await folder.start(hqPort);
  const tillUrls: string[] = [];
  const tillProcs: Child[] = [];
  for (const [i, t] of tills.entries()) {
    const port = await freePort();
    tillUrls.push(`http://127.0.0.1:${port}`);
    tillProcs.push(startProcess(`till-${i + 1}`, path.join(REPO_ROOT, 'terminal/src/main.ts'), {
      ...process.env, TPV_DATA_DIR: folder.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(port), TPV_TERMINAL_DB: dbOf(i), TPV_TERMINAL_ID: t.id,
      TPV_BACKOFFICE_URL: url, TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '500', TPV_PAIRING_CODE: await pairingCodeFromHq(url, franchise, t.id),
      ...opts.tillEnv?.(i, t),
    }));
  }
  const state = async <T>(i: number): Promise<T> => (await fetch(`${tillUrls[i]}/api/state`)).json() as Promise<T>;
  for (const i of tills.keys()) await until(`till ${i + 1} online`, async () => (await state<{ sync: { online: boolean } }>(i)).sync.online, opts.onlineTimeoutMs ?? 90_000);
  const browser = await launchChromium();
  const ui: TillPage[] = [];
  for (const i of opts.pagesFor ?? tills.keys()) ui.push(await openTillPage(browser, { url: tillUrls[i]!, output: () => '' }));
  return {
    url, hq, tillUrls, tillProcs, ui, browser, dbOf, state,
    async token(who) {
      const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: who.email, password: who.password }) });
      if (!r.ok) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { token: string }).token;
    },
    async adminPage(viewport = { width: 1400, height: 900 }, timeoutMs = 30_000) {
      const page = await (await browser.newContext({ acceptDownloads: true, viewport, locale: 'es-ES', timezoneId: 'Europe/Madrid' })).newPage();
      page.setDefaultTimeout(timeoutMs);
      return page;
    },
    async stop() {
      await browser.cleanup();
      await Promise.all(tillProcs.map((c) => c.stop(2000)));
    },
  };
}

/** A back-office user signs in on the admin page. */
export async function signInAdmin(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Correo electrónico').fill(who.email);
  await page.getByLabel('Contraseña').fill(who.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

/** The store's cashier signs in at a till (PIN 1111 in the demo) and opens the cash session with 50 € in tens. */
export async function openTillSession(u: TillPage, pin = '1111'): Promise<void> {
  await u.typePin(u.byTest('pinpad'), pin);
  await u.byTest('open-session-screen').waitFor();
  await u.byTest('denominations').getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
  await u.byTest('open-session').click();
  await u.byTest('sell-screen').waitFor();
}
