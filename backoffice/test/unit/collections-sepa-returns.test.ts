/**
 * Returned direct debits (R-transactions): the es/en reason table, unknown codes described rather than
 * thrown on, the checks on a return as read from the bank, and what a return reopens (fee recharged or not).
 */
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../../src/collections/sepa/errors';
import { amountReopened, describeReturnReason, RETURN_REASONS, validateDebitReturn, type DebitReturn } from '../../src/collections/sepa/returns';

describe('debit returns', () => {
  it.each([
    ['AM04', 'Saldo insuficiente', 'Insufficient funds', true, false],
    ['MD01', 'Sin mandato o mandato no válido (operación no autorizada)', 'No mandate or invalid mandate (unauthorised transaction)', false, true],
    ['MS02', 'Rechazado por el deudor sin motivo especificado', 'Refused by the debtor, reason not specified', false, false],
    ['AC04', 'Cuenta cancelada', 'Account closed', false, true],
    ['MD06', 'Devolución solicitada por el deudor', 'Refund requested by the debtor (disputed authorised transaction)', false, false],
    [' am04 ', 'Saldo insuficiente', 'Insufficient funds', true, false],
    ['ZZ99', 'Motivo de devolución desconocido (ZZ99)', 'Unknown return reason (ZZ99)', false, false],
  ])('describeReturnReason(%j)', (code, es, en, mayRepresent, mandateSuspect) => {
    expect(describeReturnReason(code)).toEqual({ code: code.trim().toUpperCase(), es, en, mayRepresent, mandateSuspect });
  });

  it('has a Spanish and an English text for every code, and only AM04 may be presented again as is', () => {
    for (const [code, reason] of RETURN_REASONS) {
      expect(code).toMatch(/^[A-Z0-9]{4}$/);
      expect(reason.es.length).toBeGreaterThan(3);
      expect(reason.en.length).toBeGreaterThan(3);
    }
    expect([...RETURN_REASONS.values()].filter((r) => r.mayRepresent).map((r) => r.code)).toEqual(['AM04']);
  });

  const ret: DebitReturn = { endToEndId: 'FV-2026-000101-1', reasonCode: 'am04', amountCents: 5050, returnedOn: '2026-12-09', bankFeeCents: 350 };

  it('accepts a return and upper-cases its code', () => {
    expect(validateDebitReturn(ret)).toEqual({ ok: true, value: { ...ret, reasonCode: 'AM04' } });
    expect(validateDebitReturn({ ...ret, bankFeeCents: 0 }).ok).toBe(true);
  });

  it.each<[Partial<DebitReturn>, string, string]>([
    [{ amountCents: 0 }, 'SEPA_INVALID_AMOUNT', 'amountCents'],
    [{ amountCents: 50.5 }, 'SEPA_INVALID_AMOUNT', 'amountCents'],
    [{ bankFeeCents: -1 }, 'SEPA_INVALID_AMOUNT', 'bankFeeCents'],
    [{ reasonCode: 'AM4' }, 'SEPA_INVALID_RETURN', 'reasonCode'],
    [{ returnedOn: '09/12/2026' }, 'SEPA_INVALID_DATE', 'returnedOn'],
    [{ endToEndId: '' }, 'SEPA_INVALID_REFERENCE', 'endToEndId'],
  ])('refuses %j', (change, code, path) => {
    const r = validateDebitReturn({ ...ret, ...change });
    expect(!r.ok && problemsOf(r.error).map((p) => [p.code, p.path])).toEqual([[code, path]]);
  });

  it('reopens the returned amount, plus the bank fee when the contract recharges it', () => {
    // 50.50 returned + 3.50 fee = 54.00 when recharged; 50.50 when the creditor bears the fee.
    expect(amountReopened(ret, true)).toBe(5400);
    expect(amountReopened(ret, false)).toBe(5050);
  });
});
