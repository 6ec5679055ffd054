/**
 * Users and roles in Chromium against a real back office: HQ turns on two-step verification from My account
 * (QR + key, confirmed with a code computed here with otpauth), signs out, and signing in then asks for a
 * code (a wrong one is refused in words, a right one opens the app); HQ invites a user through the form (the
 * one-time link is shown), renames them, and finds that change — before → after — in the audit log.
 */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
});
afterAll(async () => ui?.close());

const codeAt = (secret: string, ms: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

describe('users and roles in the admin app', () => {
  let secret = '';
  let invitation = '';

  it('HQ turns on TOTP in My account and then signs in with password + code', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('my-account').click();
    await page.getByTestId('totp-enrol').click();
    await page.getByTestId('totp-qr').waitFor();
    expect(await page.getByTestId('totp-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByTestId('totp-code').fill(codeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await expect.poll(() => page.getByTestId('totp-status').textContent()).toMatch(/^Activada/);

    await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.hq);
    await page.getByRole('heading', { name: 'Verificación en dos pasos' }).waitFor();
    await page.getByTestId('totp-code').fill('000000');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Código incorrecto' }).waitFor();
    // The next step's code: the one used to confirm may not be used again.
    await page.getByTestId('totp-code').fill(codeAt(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByTestId('nav-users').waitFor();
    expect(await page.getByTestId('user').textContent()).toContain('HQ');
  });

  it('HQ invites a user, renames them, and finds the change (before → after) in the audit log', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('invite-user').click();
    await page.getByTestId('user-email').fill('nueva.gerente@test.demo');
    await page.getByTestId('user-name').fill('Nueva Gerente');
    await page.getByTestId('user-companies').click();
    await page.getByRole('option').first().click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Invitar usuario' }).click();
    const link = page.getByTestId('one-time-url');
    await link.waitFor();
    invitation = await link.inputValue();
    expect(invitation).toMatch(/\/accept-invitation\?token=/);
    await page.getByRole('button', { name: 'Hecho' }).click();

    await page.getByTestId('edit-name').fill('Gerente Renombrada');
    await page.getByTestId('edit-user').getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { name: 'Gerente Renombrada' }).waitFor();

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action').fill('user.update');
    await page.getByTestId('audit').getByRole('row').nth(1).click();
    const diff = page.getByTestId('audit-diff');
    await diff.waitFor();
    const nameRow = diff.getByTestId('diff-row').filter({ hasText: 'name' });
    expect(await nameRow.textContent()).toContain('Nueva Gerente');
    expect(await nameRow.textContent()).toContain('Gerente Renombrada');
    expect(await diff.textContent()).toContain(F.hq.email);
  });

  it('the invitee opens the link, is told why a weak password is refused, sets a good one and signs in', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.goto(invitation);
    await page.getByTestId('new-password').fill('corta');
    await page.getByTestId('set-password').getByRole('button', { name: 'Guardar' }).click();
    const field = page.getByTestId('new-password');
    await expect.poll(async () => page.locator(`#${await field.getAttribute('aria-describedby')}`).first().textContent()).toMatch(/al menos 12 caracteres/);
    await field.fill('Huerta de Valencia 2026');
    await page.getByTestId('set-password').getByRole('button', { name: 'Guardar' }).click();
    await page.getByTestId('password-set').waitFor();
    await page.goto(ui.url);
    await ui.signIn({ email: 'nueva.gerente@test.demo', password: 'Huerta de Valencia 2026' });
    await expect.poll(() => page.getByTestId('user').textContent()).toContain('Gerente Renombrada');
  });
});
