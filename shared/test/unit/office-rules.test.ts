/**
 * Office rules (issue 16), table-driven: who a notice reaches (target × person), what the till shows now
 * (role, start, end), and a store task's status (done / overdue / open) at a moment.
 */
import { describe, expect, it } from 'vitest';
import { noticeReaches, noticeShownAtTill, type NoticePerson, type NoticeTarget } from '../../src/office/notices';
import { storeTaskStatus } from '../../src/office/tasks';

const companyOf = (s: string) => ({ M1: 'RUIZ', M2: 'RUIZ', V1: 'LEV' })[s];
const ana: NoticePerson = { companyId: 'RUIZ', storeId: 'M1', role: 'cashier' };
const carmen: NoticePerson = { companyId: 'RUIZ', storeId: null, role: 'manager' };
const diego: NoticePerson = { companyId: 'LEV', storeId: 'V1', role: 'cashier' };

describe('noticeReaches', () => {
  const t = (kind: NoticeTarget['kind'], ids: string[] = [], roles: NoticeTarget['roles'] = []): NoticeTarget => ({ kind, ids, roles });
  it.each([
    ['all → everyone', t('all'), [true, true, true]],
    ['company Ruiz', t('company', ['RUIZ']), [true, true, false]],
    // Carmen works at any store of Ruiz: a notice for M2 reaches her.
    ['store M2', t('store', ['M2']), [false, true, false]],
    ['store V1', t('store', ['V1']), [false, false, true]],
    ['all, cashiers', t('all', [], ['cashier']), [true, false, true]],
    ['company Ruiz, managers', t('company', ['RUIZ'], ['manager']), [false, true, false]],
    ['stores M1 + V1, supervisors', t('store', ['M1', 'V1'], ['supervisor']), [false, false, false]],
  ])('%s → Ana, Carmen, Diego', (_name, target, expected) => {
    expect([ana, carmen, diego].map((p) => noticeReaches(target, p, companyOf))).toEqual(expected);
  });
});

describe('noticeShownAtTill', () => {
  const now = Date.parse('2026-12-01T09:00:00Z');
  it.each([
    [{ roles: [], startsAt: null, validUntil: null }, 'cashier', true],
    [{ roles: ['manager'], startsAt: null, validUntil: null }, 'cashier', false],
    [{ roles: ['manager', 'cashier'], startsAt: null, validUntil: null }, 'cashier', true],
    // Starts exactly now: shown; a second later: not yet.
    [{ roles: [], startsAt: '2026-12-01T09:00:00Z', validUntil: null }, 'cashier', true],
    [{ roles: [], startsAt: '2026-12-01T09:00:01Z', validUntil: null }, 'cashier', false],
    // Ends exactly now: still shown; a second ago: gone. Offsets are instants, not text.
    [{ roles: [], startsAt: null, validUntil: '2026-12-01T10:00:00+01:00' }, 'cashier', true],
    [{ roles: [], startsAt: null, validUntil: '2026-12-01T08:59:59Z' }, 'cashier', false],
  ])('%j for a %s → %s', (n, role, expected) => {
    expect(noticeShownAtTill(n, role, now)).toBe(expected);
  });
});

describe('storeTaskStatus', () => {
  const due = '2026-12-01T12:00:00Z';
  it.each([
    [{ dueAt: due, items: 3, done: 3 }, '2026-12-02T00:00:00Z', 'done'],
    [{ dueAt: due, items: 3, done: 2 }, '2026-12-01T11:59:59Z', 'open'],
    [{ dueAt: due, items: 3, done: 2 }, '2026-12-01T12:00:00Z', 'open'],
    [{ dueAt: due, items: 3, done: 2 }, '2026-12-01T12:00:01Z', 'overdue'],
    [{ dueAt: due, items: 0, done: 0 }, '2026-12-01T13:00:00Z', 'overdue'],
  ])('%j at %s → %s', (t, at, expected) => {
    expect(storeTaskStatus(t, Date.parse(at))).toBe(expected);
  });
});
