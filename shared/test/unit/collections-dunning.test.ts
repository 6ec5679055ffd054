/**
 * Dunning: the level an item has reached (default levels: reminder at 7 days, second notice at 30 which
 * blocks, formal demand at 60 which also claims interest), the letter text, and whether a counterparty is
 * blocked for sales on account (blocking level, or exposure over its credit limit) unless released.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DUNNING_LEVELS,
  checkCreditSettings,
  counterpartyBlock,
  itemDunningLevel,
  levelForDays,
  nextDunningLevel,
  renderDunningText,
  validateDunningLevels,
  type DunningLevel,
} from '../../src/collections';

const AS_OF = '2026-11-30';

describe('levels', () => {
  const cases: [number, number | null][] = [[-5, null], [0, null], [6, null], [7, 1], [29, 1], [30, 2], [59, 2], [60, 3], [400, 3]];
  it.each(cases)('%i days past due → level %s', (days, level) => {
    expect(levelForDays(days, DEFAULT_DUNNING_LEVELS)?.level ?? null).toBe(level);
  });

  it('an item is at the level of its days past due, none once paid', () => {
    // due 2026-10-31 → 30 days on 2026-11-30 → second notice
    expect(itemDunningLevel({ id: 'i', dueDate: '2026-10-31', balanceCents: 100 }, AS_OF, DEFAULT_DUNNING_LEVELS)?.name.es).toBe('Segundo aviso');
    expect(itemDunningLevel({ id: 'i', dueDate: '2026-10-31', balanceCents: 0 }, AS_OF, DEFAULT_DUNNING_LEVELS)).toBeNull();
    expect(itemDunningLevel({ id: 'i', dueDate: '2026-11-24', balanceCents: 100 }, AS_OF, DEFAULT_DUNNING_LEVELS)).toBeNull(); // 6 days
  });

  it('the next letter is the level reached when higher than the last one sent', () => {
    const item = { id: 'i', dueDate: '2026-09-15', balanceCents: 100 }; // 76 days on 2026-11-30: level 3
    expect(nextDunningLevel(item, AS_OF, DEFAULT_DUNNING_LEVELS, null)?.level).toBe(3); // jumps straight to the demand
    expect(nextDunningLevel(item, AS_OF, DEFAULT_DUNNING_LEVELS, 2)?.level).toBe(3);
    expect(nextDunningLevel(item, AS_OF, DEFAULT_DUNNING_LEVELS, 3)).toBeNull(); // already sent
    expect(nextDunningLevel({ ...item, dueDate: '2026-11-10' }, AS_OF, DEFAULT_DUNNING_LEVELS, 1)).toBeNull(); // 20 days: still level 1
    expect(nextDunningLevel({ ...item, balanceCents: 0 }, AS_OF, DEFAULT_DUNNING_LEVELS, null)).toBeNull();
  });

  it('the default levels are valid; bad ones are refused', () => {
    expect(validateDunningLevels(DEFAULT_DUNNING_LEVELS).ok).toBe(true);
    const [l1, l2] = DEFAULT_DUNNING_LEVELS as [DunningLevel, DunningLevel, DunningLevel];
    const code = (levels: DunningLevel[]) => {
      const r = validateDunningLevels(levels);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code([])).toBe('DUNNING_LEVELS_EMPTY');
    expect(code([l2])).toBe('DUNNING_LEVELS_ORDER'); // numbered 2 first
    expect(code([l1, { ...l2, minDaysPastDue: 7 }])).toBe('DUNNING_LEVELS_ORDER'); // same days as level 1
    expect(code([{ ...l1, minDaysPastDue: 0 }])).toBe('DUNNING_LEVEL_INVALID');
    expect(code([{ ...l1, text: { es: ' ', en: 'x' } }])).toBe('DUNNING_TEXT_EMPTY');
  });

  it('fills the letter text; an unknown placeholder stays visible', () => {
    const text = renderDunningText(DEFAULT_DUNNING_LEVELS[1]!.text.es, { counterparty: 'Levante SL', document: 'FV2026-000123', days: '30', amount: '1.210,00 €' });
    expect(text).toBe('Estimado cliente Levante SL: la factura FV2026-000123 lleva 30 días vencida con 1.210,00 € pendiente. Le rogamos su pago inmediato; las ventas a crédito quedan suspendidas hasta entonces.');
    expect(renderDunningText('{amount} {amuont}', { amount: '5 €' })).toBe('5 € {amuont}');
  });
});

describe('blocked for sales on account', () => {
  const overdue30 = { id: 'old', dueDate: '2026-10-31', balanceCents: 12_100 }; // 30 days: level 2, blocks
  const overdue10 = { id: 'recent', dueDate: '2026-11-20', balanceCents: 50_000 }; // 10 days: level 1
  const notDue = { id: 'new', dueDate: '2026-12-20', balanceCents: 30_000 };
  const base = { asOf: AS_OF, levels: DEFAULT_DUNNING_LEVELS, creditLimitCents: null };

  it('an item at a blocking level blocks', () => {
    const d = counterpartyBlock({ ...base, items: [overdue30, overdue10] });
    expect(d).toEqual({ blocked: true, released: false, reasons: [{ kind: 'dunning_level', itemId: 'old', level: 2, daysPastDue: 30 }], exposureCents: 62_100 });
  });

  it('a reminder alone does not block', () => {
    expect(counterpartyBlock({ ...base, items: [overdue10, notDue] }).blocked).toBe(false);
  });

  it('paid: the block goes', () => {
    expect(counterpartyBlock({ ...base, items: [{ ...overdue30, balanceCents: 0 }, overdue10] }).blocked).toBe(false);
  });

  const limitCases: [string, number, number, number, boolean][] = [
    // exposure = 50 000 + 30 000 − credit + sale
    ['at the limit exactly', 100_000, 0, 20_000, false], // 100 000 = limit: allowed
    ['one cent over', 100_000, 0, 20_001, true],
    ['credit held lowers the exposure', 100_000, 5_000, 25_000, false], // 80 000 − 5 000 + 25 000 = 100 000
    ['a zero limit refuses any sale on account', 0, 0, 1, true],
  ];
  it.each(limitCases)('credit limit: %s', (_name, limit, credit, sale, blocked) => {
    const d = counterpartyBlock({ ...base, items: [overdue10, notDue], creditLimitCents: limit, creditCents: credit, pendingSaleCents: sale });
    expect(d.blocked).toBe(blocked);
    expect(d.exposureCents).toBe(80_000 - credit + sale);
    expect(d.reasons.some((r) => r.kind === 'credit_limit')).toBe(blocked);
  });

  it('a manager release lifts the block while it holds, reasons still shown', () => {
    const items = [overdue30];
    const held = counterpartyBlock({ ...base, items, release: { releasedOn: '2026-11-28', until: '2026-12-05' } });
    expect(held.blocked).toBe(false);
    expect(held.released).toBe(true);
    expect(held.reasons).toHaveLength(1);
    expect(counterpartyBlock({ ...base, items, release: { releasedOn: '2026-11-28', until: null } }).blocked).toBe(false);
    expect(counterpartyBlock({ ...base, items, release: { releasedOn: '2026-11-01', until: '2026-11-29' } }).blocked).toBe(true); // expired
    expect(counterpartyBlock({ ...base, items, release: { releasedOn: '2026-12-01', until: null } }).blocked).toBe(true); // not yet
  });

  it('checks a manager\'s settings', () => {
    expect(checkCreditSettings(100_000, { releasedOn: '2026-11-30', until: null }).ok).toBe(true);
    expect(checkCreditSettings(null, null).ok).toBe(true);
    const bad = [checkCreditSettings(-1, null), checkCreditSettings(1.5, null), checkCreditSettings(0, { releasedOn: '2026-11-30', until: '2026-11-29' })];
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['BLOCK_LIMIT_INVALID', 'BLOCK_LIMIT_INVALID', 'BLOCK_DATE_INVALID']);
  });
});
