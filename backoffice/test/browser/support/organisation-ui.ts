/**
 * Organisation steps in the admin app, as HQ staff take them (labels and buttons a user sees), reusable by
 * later browser tests: create a company with its contract, a store, a terminal, and pair a till with the
 * pairing code the page shows.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { connectTerminal, type TerminalClient } from '../../support/harness';

export interface CompanyInput {
  legalName: string;
  tradeName: string;
  nif: string;
  iban: string;
  address: { street: string; postalCode: string; city: string; province: string };
  contact: { name: string; role: string; email: string; phone: string };
}

export interface ContractInput {
  startsOn: string;
  endsOn?: string;
  royaltyPct: string;
  marketingPct: string;
}

export interface StoreInput {
  code: string;
  name: string;
  /** Option text of the company to pick (its trade name). */
  company: string;
  address: CompanyInput['address'];
  timezone: string;
  areaM2: string;
}

const idFromUrl = (page: Page, prefix: string) => new URL(page.url()).pathname.slice(prefix.length).split('/')[0]!;

async function fillAddress(page: Page, a: CompanyInput['address']): Promise<void> {
  await page.getByLabel('Calle y número').fill(a.street);
  await page.getByLabel('Código postal').fill(a.postalCode);
  await page.getByLabel('Localidad').fill(a.city);
  await page.getByLabel('Provincia').fill(a.province);
}

/** Companies → Nueva empresa → the form → Guardar; returns the new company's id (its page is open). */
export async function createCompany(page: Page, c: CompanyInput): Promise<string> {
  await page.getByTestId('nav-companies').click();
  await page.getByRole('button', { name: 'Nueva empresa' }).click();
  const form = page.getByTestId('company-form');
  await form.waitFor();
  await page.getByLabel('Razón social').fill(c.legalName);
  await page.getByLabel('Nombre comercial').fill(c.tradeName);
  await page.getByLabel('NIF / CIF').fill(c.nif);
  await page.getByLabel('IBAN').fill(c.iban);
  await fillAddress(page, c.address);
  await page.getByRole('button', { name: 'Añadir contacto' }).click();
  await page.getByLabel('Nombre', { exact: true }).fill(c.contact.name);
  await page.getByLabel('Cargo').fill(c.contact.role);
  await page.getByLabel('Correo').fill(c.contact.email);
  await page.getByLabel('Teléfono').fill(c.contact.phone);
  await page.getByRole('button', { name: 'Guardar' }).click();
  await page.getByTestId('company-detail').waitFor();
  return idFromUrl(page, '/organisation/companies/');
}

/** On a franchisee's page: the contract form → Nuevo contrato; waits for its row in the contracts table. */
export async function addContract(page: Page, k: ContractInput): Promise<void> {
  const form = page.getByTestId('contract-form');
  await form.getByLabel('Inicio').fill(k.startsOn);
  if (k.endsOn) await form.getByLabel('Fin').fill(k.endsOn);
  await form.getByLabel('Royalty').fill(k.royaltyPct);
  await form.getByLabel('Marketing').fill(k.marketingPct);
  // Enter submits the form, as a user at a keyboard does (the "saved" toast may cover its button).
  await form.getByLabel('Marketing').press('Enter');
  await page.getByTestId('contracts').locator('tbody tr').filter({ hasText: k.startsOn }).waitFor();
}

/** Tiendas → Nueva tienda → the form (default opening hours) → Guardar; returns the store's id (its page is open). */
export async function createStore(page: Page, s: StoreInput): Promise<string> {
  await page.getByTestId('nav-stores').click();
  await page.getByRole('button', { name: 'Nueva tienda' }).click();
  await page.getByTestId('store-form').waitFor();
  // Required fields' labels end in " *".
  await page.getByRole('textbox', { name: /^Código( \*)?$/ }).fill(s.code);
  await page.getByRole('textbox', { name: /^Nombre( \*)?$/ }).fill(s.name);
  await page.getByRole('textbox', { name: 'Empresa' }).click();
  await page.getByRole('option', { name: new RegExp(s.company) }).click();
  await fillAddress(page, s.address);
  await page.getByLabel('Zona horaria').fill(s.timezone);
  await page.getByLabel('Superficie de venta').fill(s.areaM2);
  await page.getByRole('button', { name: 'Guardar' }).click();
  await page.getByTestId('store-detail').waitFor();
  return idFromUrl(page, '/organisation/stores/');
}

/** On a store's page: names a till, Añadir terminal; returns the pairing code the page shows for it. */
export async function addTerminal(page: Page, name: string): Promise<{ tillCode: string; pairingCode: string }> {
  const section = page.getByTestId('store-terminals');
  await section.getByLabel('Nombre de la caja').fill(name);
  await section.getByRole('button', { name: 'Añadir terminal' }).click();
  const shown = section.getByTestId('pairing-code');
  await shown.waitFor();
  const pairingCode = (await shown.textContent())!.trim();
  const row = section.locator('tr').filter({ has: page.getByTestId('pairing-code') });
  const tillCode = (await row.locator('td').first().textContent())!.split(' · ')[0]!.trim();
  return { tillCode, pairingCode };
}

/** A till typing the code shown in the page: POST /api/pairing, then its sync socket with the token it got. */
export async function pairTillWithCode(url: string, code: string): Promise<{ terminalId: string; identity: Record<string, string>; till: TerminalClient }> {
  const res = await fetch(`${url}/api/pairing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, appVersion: '0.1.0' }) });
  const body = (await res.json()) as { terminalId: string; token: string; identity: Record<string, string> };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { terminalId: body.terminalId, identity: body.identity, till: await connectTerminal(url, body.terminalId, body.token) };
}
