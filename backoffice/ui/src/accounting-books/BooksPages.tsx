/**
 * A company's books and statements: journal, ledger, trial balance, P&L and balance sheet. One filter bar
 * (company in the caller's scope, period, store, comparison with the previous year) kept in the URL, so a
 * trial-balance account opens its ledger with the same filters and a link can be shared. Exports download
 * the same query as CSV/XLSX (statements also PDF).
 */
import { Alert, Button, Checkbox, Group, Pagination, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { Journal, Ledger, Statement, TrialBalance } from '@tpv/shared/wire/http/accounting-books';
import { download, get, withQuery } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

type Kind = 'journal' | 'ledger' | 'trial-balance' | 'profit-and-loss' | 'balance-sheet';
const TITLE: Record<Kind, 'nav.journal' | 'nav.ledger' | 'nav.trial' | 'nav.pnl' | 'nav.balance'> = {
  journal: 'nav.journal', ledger: 'nav.ledger', 'trial-balance': 'nav.trial', 'profit-and-loss': 'nav.pnl', 'balance-sheet': 'nav.balance',
};
const HELP = { journal: 'j.help', ledger: 'l.help', 'trial-balance': 't.help', 'profit-and-loss': 'p.help', 'balance-sheet': 'b.help' } as const;

const thisYear = new Date().getUTCFullYear();
const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const right = { textAlign: 'right' } as const;

export default function BooksPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const scope = useScopeOptions();
  const location = useLocation();
  const navigate = useNavigate();
  const kind = (location.pathname.split('/').pop() ?? 'trial-balance') as Kind;
  const [params, setParams] = useSearchParams();
  const companyId = params.get('company') ?? (scope.companyOptions.length === 1 ? scope.companyOptions[0]!.value : '');
  const from = params.get('from') ?? `${thisYear}-01`;
  const to = params.get('to') ?? `${thisYear}-12`;
  const storeId = params.get('store') ?? '';
  const level = params.get('level') ?? '8';
  const account = params.get('account') ?? '57';
  const page = Number(params.get('page') ?? '1');
  const compare = params.get('compare') !== '0';
  // From the address bar as it is now, not this render's params: two quick edits (from, then to) must both stick.
  const set = (patch: Record<string, string | null>) =>
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch)) if (v === null || v === '') next.delete(k);
      else next.set(k, v);
      if (!('page' in patch)) next.delete('page');
      return next;
    });
  const validMonths = /^\d{4}-\d{2}$/.test(from) && /^\d{4}-\d{2}$/.test(to) && from <= to;
  const byDate = kind === 'journal' || kind === 'ledger';
  const query: Record<string, string | number | undefined> = {
    from: byDate ? `${from}-01` : from,
    to: byDate ? lastDay(to) : to,
    storeId: storeId || undefined,
    ...(kind === 'trial-balance' ? { level } : {}),
    ...(kind === 'ledger' ? { account } : {}),
    ...(byDate ? { page, pageSize: kind === 'journal' ? 25 : 100 } : {}),
  };
  const path = `/api/accounting/companies/${companyId}/${kind}`;
  const enabled = !!companyId && validMonths && (kind !== 'ledger' || /^\d+$/.test(account));
  const data = useQuery({ queryKey: ['accounting-books', kind, companyId, query], queryFn: () => get<unknown>(withQuery(path, query)), enabled });
  const exportAs = (format: 'csv' | 'xlsx' | 'pdf') => download(withQuery(path, { ...query, page: undefined, pageSize: undefined, format }), `${kind}.${format}`);
  const companyStores = scope.data?.companies.find((c) => c.id === companyId)?.stores ?? [];

  return (
    <>
      <PageHeader
        title={t(TITLE[kind])}
        subtitle={t(HELP[kind])}
        actions={
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => void exportAs('csv')} disabled={!enabled} data-testid="books-export-csv">{t('x.csv')}</Button>
            <Button variant="default" size="xs" onClick={() => void exportAs('xlsx')} disabled={!enabled} data-testid="books-export-xlsx">{t('x.xlsx')}</Button>
            {(kind === 'profit-and-loss' || kind === 'balance-sheet') && (
              <Button variant="default" size="xs" onClick={() => void exportAs('pdf')} disabled={!enabled} data-testid="books-export-pdf">{t('x.pdf')}</Button>
            )}
          </Group>
        }
      />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: kind === 'trial-balance' || kind === 'ledger' ? 5 : 4 }}>
            <Select label={t('f.company')} placeholder={t('f.chooseCompany')} data={scope.companyOptions} value={companyId || null} onChange={(v) => set({ company: v, store: null })} searchable data-testid="books-company" />
            <TextInput label={t('f.from')} type="month" value={from} onChange={(e) => set({ from: e.currentTarget.value })} error={!validMonths} data-testid="books-from" />
            <TextInput label={t('f.to')} type="month" value={to} onChange={(e) => set({ to: e.currentTarget.value })} error={!validMonths} data-testid="books-to" />
            <Select
              label={t('f.store')}
              data={[{ value: '', label: t('f.allStores') }, ...companyStores.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))]}
              value={storeId}
              onChange={(v) => set({ store: v })}
              data-testid="books-store"
            />
            {kind === 'trial-balance' && (
              <Select
                label={t('f.level')}
                data={[{ value: '3', label: t('f.level3') }, { value: '4', label: t('f.level4') }, { value: '8', label: t('f.level8') }]}
                value={level}
                onChange={(v) => set({ level: v })}
                allowDeselect={false}
                data-testid="books-level"
              />
            )}
            {kind === 'ledger' && <TextInput label={t('f.account')} value={account} onChange={(e) => set({ account: e.currentTarget.value.replace(/\D/g, '') })} data-testid="books-account" />}
          </SimpleGrid>
          {kind !== 'journal' && kind !== 'ledger' && (
            <Checkbox mt="sm" label={t('f.compare')} checked={compare} onChange={(e) => set({ compare: e.currentTarget.checked ? null : '0' })} data-testid="books-compare" />
          )}
        </Section>
        {data.error && <Alert color="red" data-testid="books-error">{data.error.message}</Alert>}
        {data.data !== undefined && kind === 'journal' && <JournalView j={data.data as Journal} onPage={(p) => set({ page: String(p) })} />}
        {data.data !== undefined && kind === 'ledger' && <LedgerView l={data.data as Ledger} onPage={(p) => set({ page: String(p) })} />}
        {data.data !== undefined && kind === 'trial-balance' && (
          <TrialView
            tb={data.data as TrialBalance}
            compare={compare}
            onAccount={(a) => navigate(`/accounting/ledger?${new URLSearchParams({ company: companyId, from, to, account: a, ...(storeId ? { store: storeId } : {}) }).toString()}`)}
          />
        )}
        {data.data !== undefined && (kind === 'profit-and-loss' || kind === 'balance-sheet') && <StatementView s={data.data as Statement} compare={compare} en={locale.startsWith('en')} />}
      </Stack>
    </>
  );
}

function Pager({ page: p, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const { t } = useT(messages);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">{t('c.page', { page: p, pages, total })}</Text>
      {pages > 1 && <Pagination total={pages} value={p} onChange={onPage} size="sm" data-testid="books-pager" />}
    </Group>
  );
}

function JournalView({ j, onPage }: { j: Journal; onPage: (p: number) => void }) {
  const { t } = useT(messages);
  const f = useFormat();
  return (
    <Section testId="books-journal">
      {j.items.length === 0 ? <Text c="dimmed">{t('c.none')}</Text> : (
        <Table.ScrollContainer minWidth={900}>
          <Table data-testid="journal-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('c.entry')}</Table.Th><Table.Th>{t('c.date')}</Table.Th><Table.Th>{t('c.account')}</Table.Th><Table.Th>{t('c.name')}</Table.Th>
                <Table.Th>{t('c.concept')}</Table.Th><Table.Th style={right}>{t('c.debit')}</Table.Th><Table.Th style={right}>{t('c.credit')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {j.items.flatMap((e) =>
                e.lines.map((l, i) => (
                  <Table.Tr key={`${e.id}:${l.lineNo}`} data-testid="journal-line" style={i === 0 ? { borderTop: '2px solid var(--mantine-color-gray-4)' } : undefined}>
                    <Table.Td fw={600}>{i === 0 ? e.number : ''}</Table.Td>
                    <Table.Td>{i === 0 ? f.date(e.entryDate) : ''}</Table.Td>
                    <Table.Td ff="monospace">{l.account}</Table.Td>
                    <Table.Td>{l.accountName}</Table.Td>
                    <Table.Td>{l.description ?? (i === 0 ? e.description : '')}</Table.Td>
                    <Table.Td style={right}>{l.debitCents ? f.money(l.debitCents) : ''}</Table.Td>
                    <Table.Td style={right}>{l.creditCents ? f.money(l.creditCents) : ''}</Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr><Table.Th colSpan={5}>{t('c.total')}</Table.Th><Table.Th style={right} data-testid="journal-debit">{f.money(j.debitCents)}</Table.Th><Table.Th style={right} data-testid="journal-credit">{f.money(j.creditCents)}</Table.Th></Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager page={j.page} pageSize={j.pageSize} total={j.total} onPage={onPage} />
    </Section>
  );
}

function LedgerView({ l, onPage }: { l: Ledger; onPage: (p: number) => void }) {
  const { t } = useT(messages);
  const f = useFormat();
  return (
    <Section title={`${l.account} ${l.accountName ?? ''}`} testId="books-ledger">
      <Table.ScrollContainer minWidth={800}>
        <Table striped data-testid="ledger-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('c.date')}</Table.Th><Table.Th>{t('c.entry')}</Table.Th><Table.Th>{t('c.account')}</Table.Th><Table.Th>{t('c.concept')}</Table.Th>
              <Table.Th style={right}>{t('c.debit')}</Table.Th><Table.Th style={right}>{t('c.credit')}</Table.Th><Table.Th style={right}>{t('c.balance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr><Table.Td colSpan={6} fw={600}>{t('c.openingRow')}</Table.Td><Table.Td style={right} fw={600} data-testid="ledger-opening">{f.money(l.openingCents)}</Table.Td></Table.Tr>
            {l.items.map((x, i) => (
              <Table.Tr key={`${x.entryId}:${i}`} data-testid="ledger-line">
                <Table.Td>{f.date(x.entryDate)}</Table.Td><Table.Td>{x.entryNumber}</Table.Td><Table.Td ff="monospace">{x.account}</Table.Td><Table.Td>{x.description}</Table.Td>
                <Table.Td style={right}>{x.debitCents ? f.money(x.debitCents) : ''}</Table.Td><Table.Td style={right}>{x.creditCents ? f.money(x.creditCents) : ''}</Table.Td>
                <Table.Td style={right}>{f.money(x.balanceCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={4}>{t('c.closingRow')}</Table.Th><Table.Th style={right}>{f.money(l.debitCents)}</Table.Th><Table.Th style={right}>{f.money(l.creditCents)}</Table.Th>
              <Table.Th style={right} data-testid="ledger-closing">{f.money(l.closingCents)}</Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      <Pager page={l.page} pageSize={l.pageSize} total={l.total} onPage={onPage} />
    </Section>
  );
}

function TrialView({ tb, compare: cmp, onAccount }: { tb: TrialBalance; compare: boolean; onAccount: (a: string) => void }) {
  const { t } = useT(messages);
  const f = useFormat();
  type Fig = { openingCents: number; debitCents: number; creditCents: number; closingCents: number };
  const cells = (x: Fig, prefix: string) => (
    <>
      <Table.Td style={right} data-testid={`${prefix}opening`}>{f.money(x.openingCents)}</Table.Td>
      <Table.Td style={right} data-testid={`${prefix}debit`}>{f.money(x.debitCents)}</Table.Td>
      <Table.Td style={right} data-testid={`${prefix}credit`}>{f.money(x.creditCents)}</Table.Td>
      <Table.Td style={right} fw={600} data-testid={`${prefix}closing`}>{f.money(x.closingCents)}</Table.Td>
    </>
  );
  const heads = (suffix: string) => [t('c.opening'), t('c.debit'), t('c.credit'), t('c.closing')].map((h) => <Table.Th key={h + suffix} style={right}>{h}{suffix}</Table.Th>);
  return (
    <Section testId="books-trial">
      {tb.rows.length === 0 ? <Text c="dimmed">{t('c.none')}</Text> : (
        <Table.ScrollContainer minWidth={cmp ? 1200 : 800}>
          <Table striped highlightOnHover data-testid="trial-table">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('c.account')}</Table.Th><Table.Th>{t('c.name')}</Table.Th>{heads('')}{cmp && heads(` ${tb.previousFrom}/${tb.previousTo}`)}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tb.rows.map((r) => (
                <Table.Tr key={r.account} data-testid="trial-row" data-account={r.account}>
                  <Table.Td ff="monospace">
                    <Button variant="subtle" size="compact-sm" onClick={() => onAccount(r.account)} data-testid="trial-account">{r.account}</Button>
                  </Table.Td>
                  <Table.Td>{r.name}</Table.Td>
                  {cells(r, '')}
                  {cmp && cells(r.previous, 'prev-')}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="trial-total"><Table.Th colSpan={2}>{t('c.total')}</Table.Th>{cells(tb.totals, 'total-')}{cmp && cells(tb.previousTotals, 'total-prev-')}</Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function StatementView({ s, compare: cmp, en }: { s: Statement; compare: boolean; en: boolean }) {
  const { t } = useT(messages);
  const f = useFormat();
  const sheet = s.statement === 'balance_sheet';
  const balanced = s.totals.assetsCents === s.totals.equityLiabilitiesCents;
  return (
    <Section testId="books-statement">
      {sheet && <Alert color={balanced ? 'green' : 'red'} mb="sm" data-testid="statement-balanced">{balanced ? t('c.balances') : t('c.unbalanced')}</Alert>}
      <Table data-testid="statement-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('c.line')}</Table.Th>
            <Table.Th style={right}>{sheet ? s.to : `${s.from}/${s.to}`}</Table.Th>
            {cmp && <Table.Th style={right}>{sheet ? s.previousTo : `${s.previousFrom}/${s.previousTo}`}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.lines.map((l) => (
            <Table.Tr key={l.id} data-testid="statement-line" data-line={l.id} data-ref={l.ref}>
              <Table.Td fw={l.kind === 'item' ? 400 : 700} pl={8 + Math.max(l.level - 1, 0) * 16}>{l.ref && l.kind === 'item' ? `${l.ref}. ` : ''}{en ? l.en : l.es}</Table.Td>
              <Table.Td style={right} fw={l.kind === 'item' ? 400 : 700} data-testid="statement-current">{f.money(l.cents)}</Table.Td>
              {cmp && <Table.Td style={right} c="dimmed" data-testid="statement-previous">{f.money(l.previousCents)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
