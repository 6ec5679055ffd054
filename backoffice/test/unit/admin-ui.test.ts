/**
 * The admin app's pure parts: who sees what (permissions from the server, or derived from the role for a
 * server that does not send them), the list contract's client-side paging of array routes, problem+json →
 * typed errors, and server field errors landing on a form's fields.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationProblem } from '@tpv/shared/problem';
import { ApiError } from '../../ui/src/app/api';
import { can, moduleEnabled, toSession, type Me } from '../../ui/src/app/auth';
import { applyServerErrors } from '../../ui/src/components/form';
import { listSearch, pageOf, toPage, type ListQuery } from '../../ui/src/components/list';

const me = (role: string, extra: Partial<Me> = {}): Me => ({ id: 'u', email: 'u@x', name: 'U', role, companyId: null, ...extra });

describe('permissions in the UI', () => {
  it('derives them from the role when the server sends none (old and new role names)', () => {
    for (const hq of ['hq', 'hq_admin']) expect(can(toSession(me(hq)), 'review.read')).toBe(true);
    for (const manager of ['manager', 'franchisee_manager', 'store_manager']) {
      const s = toSession(me(manager));
      expect(can(s, 'review.read')).toBe(false);
      expect(can(s, 'terminals.write')).toBe(true);
      expect(can(s, 'stock.read')).toBe(true);
    }
    expect(can(toSession(me('auditor')), 'catalog.read')).toBe(true);
    expect(can(toSession(me('auditor')), 'catalog.write')).toBe(false);
    expect(can(toSession(me('nobody')), 'stock.read')).toBe(false);
    expect(can(null, 'stock.read')).toBe(false);
  });

  it('uses the server’s permissions and modules when it sends them', () => {
    const s = toSession(me('hq_admin', { permissions: ['stock.read', 'review.read'], modules: ['stock'] }));
    expect(can(s, 'stock.read')).toBe(true);
    expect(can(s, 'stock.write')).toBe(false); // not granted, whatever the role
    expect(moduleEnabled(s, 'stock')).toBe(true);
    expect(moduleEnabled(s, 'review')).toBe(false); // switched off in this deployment
    expect(moduleEnabled(toSession(me('hq')), 'review')).toBe(true); // no list: every module on
    // A UI module is on when the server lists a module its pages need, even under another id.
    expect(moduleEnabled(s, 'inventory', ['stock.read'])).toBe(true);
    expect(moduleEnabled(s, 'inventory', ['review.read'])).toBe(false);
    expect(can(s, 'catalog.read')).toBe(false); // module off: no grant
  });
});

describe('list contract', () => {
  const q = (over: Partial<ListQuery> = {}): ListQuery => ({ page: 1, pageSize: 2, filters: {}, ...over });
  const rows = [
    { code: 'b', n: 2 },
    { code: 'a', n: 10 },
    { code: 'c', n: 1 },
  ];

  it('pages, sorts and searches an array as a server would', () => {
    expect(pageOf(rows, q())).toEqual({ items: rows.slice(0, 2), page: 1, pageSize: 2, total: 3, hasMore: true });
    expect(pageOf(rows, q({ page: 2 })).items).toEqual([rows[2]]);
    expect(pageOf(rows, q({ page: 2 })).hasMore).toBe(false);
    expect(pageOf(rows, q({ sort: 'n', dir: 'desc', pageSize: 3 })).items.map((r) => r.n)).toEqual([10, 2, 1]);
    expect(pageOf(rows, q({ sort: 'code', dir: 'asc', pageSize: 3 })).items.map((r) => r.code)).toEqual(['a', 'b', 'c']);
    expect(pageOf(rows, q({ q: 'C' }), { text: (r) => r.code }).items).toEqual([rows[2]]);
  });

  it('reads the contract’s page as is (exportable), and older answers as pages (not exportable)', () => {
    const contract = { items: [rows[0]], page: 2, pageSize: 1, total: 3, hasMore: true };
    expect(toPage(contract, q())).toEqual({ ...contract, exportable: true });
    expect(toPage({ items: rows.slice(0, 2), total: 3, limit: 2, offset: 0 }, q())).toEqual({ items: rows.slice(0, 2), page: 1, pageSize: 2, total: 3, hasMore: true, exportable: false });
    expect(toPage(rows, q({ sort: 'n', dir: 'asc' }))).toMatchObject({ items: [rows[2], rows[0]], total: 3, exportable: false });
    // A route that searched itself is not searched again; one that answers everything is searched here.
    expect(toPage(rows, q({ q: 'zzz' })).total).toBe(3);
    expect(toPage<(typeof rows)[number]>(rows, q({ q: 'a' }), { text: (r) => r.code }).total).toBe(1);
  });

  it('sends page, pageSize, sort, dir, q and the filters; an export drops the paging', () => {
    const query = q({ page: 3, sort: 'n', dir: 'desc', q: 'x', filters: { storeId: 's1' } });
    expect(listSearch(query)).toEqual({ page: 3, pageSize: 2, sort: 'n', dir: 'desc', q: 'x', storeId: 's1' });
    expect(listSearch(query, { page: undefined, pageSize: undefined, format: 'csv' })).toMatchObject({ page: undefined, pageSize: undefined, format: 'csv', sort: 'n' });
    expect(listSearch(q({ dir: 'asc' })).dir).toBeUndefined(); // no direction without a sort
  });
});

describe('server errors on a form', () => {
  const Body = z.object({ legalName: z.string().min(1), address: z.object({ postalCode: z.string().regex(/^\d{5}$/) }) });
  const problem = validationProblem(
    Body.safeParse({ legalName: '', address: { postalCode: 'x' }, extra: 1 }).error!.issues.concat([{ path: ['iban'], message: 'bad IBAN', code: 'custom', input: '' } as never]),
  );

  it('turns problem+json into a typed error with its field errors', () => {
    const e = new ApiError(400, problem.detail!, problem);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.fieldErrors.map((f) => f.path)).toEqual(['legalName', 'address.postalCode', 'iban']);
  });

  it('puts each error on its field and returns the ones no field of the form shows', () => {
    const set: Record<string, string> = {};
    const form = { getValues: () => ({ legalName: '', address: { postalCode: 'x' } }), setError: (path: string, e: { message?: string }) => void (set[path] = e.message!) };
    const r = applyServerErrors(form as never, new ApiError(400, problem.detail!, problem));
    expect(Object.keys(set)).toEqual(['legalName', 'address.postalCode']);
    expect(r.unmatched).toEqual([{ path: 'iban', message: 'bad IBAN' }]);
    expect(r.message).toBe(problem.detail);
    // A refusal without field errors: its message only.
    expect(applyServerErrors(form as never, new ApiError(409, 'Store has terminals'))).toEqual({ message: 'Store has terminals', unmatched: [] });
  });
});
