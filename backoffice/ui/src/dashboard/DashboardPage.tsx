/**
 * Today's sales, tickets, average ticket and units per store and for the network, against the same weekday
 * last year (like-for-like: the network's comparison sums only stores that sold that day too). Live: a
 * socket.io connection to `/dashboard` with the session token receives a snapshot, then the refreshed
 * figures of the stores that sold (pushed by the server after each ingest commit, ≤ 4 a second). Terminals
 * offline and tickets pending come from the terminals list, refreshed every 15 s.
 */
import { Badge, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatMoney } from '@tpv/shared/money';
import { DASHBOARD_EVENTS, DASHBOARD_NAMESPACE, type DashboardSnapshot, type DayFigures, type StoreFigures } from '@tpv/shared/wire/http/dashboard';
import type { TerminalStatus } from '@tpv/shared/wire/http/reports';
import { useEffect, useMemo, useState } from 'react';
import { io } from 'socket.io-client';
import { get, session } from '../app/api';
import { useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

const sum = (rows: DayFigures[]): DayFigures => rows.reduce((a, r) => ({ salesCents: a.salesCents + r.salesCents, tickets: a.tickets + r.tickets, returns: a.returns + r.returns, units: a.units + r.units }), { salesCents: 0, tickets: 0, returns: 0, units: 0 });
const avg = (f: DayFigures) => (f.tickets > 0 ? Math.round(f.salesCents / f.tickets) : 0);
/** Change against last year in %, one decimal; null without a base. */
const change = (now: number, before: number | undefined) => (before === undefined || before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 1000) / 10);

function useLiveFigures() {
  const [stores, setStores] = useState<Map<string, StoreFigures>>(new Map());
  const [at, setAt] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const socket = io(DASHBOARD_NAMESPACE, { auth: { token: session.get() ?? '' }, transports: ['websocket'] });
    socket.on('connect', () => setLive(true));
    socket.on('disconnect', () => setLive(false));
    socket.on(DASHBOARD_EVENTS.snapshot, (s: DashboardSnapshot) => {
      setStores(new Map(s.stores.map((f) => [f.storeId, f])));
      setAt(s.at);
    });
    socket.on(DASHBOARD_EVENTS.update, (u: DashboardSnapshot) => {
      setStores((prev) => {
        const next = new Map(prev);
        for (const f of u.stores) next.set(f.storeId, f);
        return next;
      });
      setAt(u.at);
    });
    return () => void socket.close();
  }, []);
  return { stores: [...stores.values()].sort((a, b) => a.storeCode.localeCompare(b.storeCode)), at, live };
}

function Delta({ now, before, t }: { now: number; before: number | undefined; t: (k: 'dash.noLastYear') => string }) {
  const c = change(now, before);
  if (c === null) return <Text size="xs" c="dimmed">{t('dash.noLastYear')}</Text>;
  return <Text size="xs" c={c >= 0 ? 'teal' : 'red'}>{`${c >= 0 ? '+' : ''}${c.toLocaleString()} %`}</Text>;
}

export default function DashboardPage() {
  const { t, locale } = useT(messages);
  const money = (c: number) => formatMoney(c, locale);
  const { stores, at, live } = useLiveFigures();
  const terminals = useQuery({ queryKey: ['terminals', 'dashboard'], queryFn: () => get<TerminalStatus[]>('/api/terminals'), refetchInterval: 15_000 });
  const today = useMemo(() => sum(stores.map((s) => s.today)), [stores]);
  // Like-for-like: today's figures of the stores that also sold last year, against last year's.
  const lfl = useMemo(() => {
    const both = stores.filter((s) => s.lastYear !== null);
    return both.length ? { today: sum(both.map((s) => s.today)), lastYear: sum(both.map((s) => s.lastYear!)) } : null;
  }, [stores]);
  const active = (terminals.data ?? []).filter((x) => x.paired && !x.revoked && x.replacedById === null);
  const offline = active.filter((x) => !x.online).length;
  const pending = active.reduce((n, x) => n + (x.pending ?? 0) + x.held, 0);

  const card = (label: string, testId: string, value: string, now: number, before: number | undefined) => (
    <Card withBorder key={testId}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fw={700} size="xl" data-testid={testId}>{value}</Text>
      <Delta now={now} before={before} t={t} />
    </Card>
  );

  return (
    <>
      <PageHeader
        title={t('dash.title')}
        subtitle={t('dash.subtitle')}
        actions={
          <Group>
            <Badge color={live ? 'teal' : 'gray'} data-testid="dash-live">{live ? t('dash.live') : t('dash.offline')}</Badge>
            {at && <Text size="xs" c="dimmed">{t('dash.updated')} {new Date(at).toLocaleTimeString(locale)}</Text>}
          </Group>
        }
      />
      <Stack>
        <SimpleGrid cols={{ base: 2, md: 6 }}>
          {card(t('dash.sales'), 'dash-network-sales', money(today.salesCents), lfl?.today.salesCents ?? 0, lfl?.lastYear.salesCents)}
          {card(t('dash.tickets'), 'dash-network-tickets', String(today.tickets), lfl?.today.tickets ?? 0, lfl?.lastYear.tickets)}
          {card(t('dash.avgTicket'), 'dash-network-avg', money(avg(today)), lfl ? avg(lfl.today) : 0, lfl ? avg(lfl.lastYear) : undefined)}
          {card(t('dash.units'), 'dash-network-units', String(today.units), lfl?.today.units ?? 0, lfl?.lastYear.units)}
          <Card withBorder>
            <Text size="sm" c="dimmed">{t('dash.terminalsOffline')}</Text>
            <Text fw={700} size="xl" c={offline > 0 ? 'red' : undefined} data-testid="dash-offline">{offline}</Text>
          </Card>
          <Card withBorder>
            <Text size="sm" c="dimmed">{t('dash.ticketsPending')}</Text>
            <Text fw={700} size="xl" c={pending > 0 ? 'orange' : undefined} data-testid="dash-pending">{pending}</Text>
          </Card>
        </SimpleGrid>
        <Section title={t('dash.network')} testId="dash-stores">
          {stores.length === 0 ? (
            <Text c="dimmed">{t('dash.empty')}</Text>
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dash.store')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.sales')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.tickets')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.avgTicket')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.units')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.lastYear')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('dash.vsLastYear')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {stores.map((s) => (
                  <Table.Tr key={s.storeId} data-testid={`dash-store-${s.storeCode}`}>
                    <Table.Td>{s.storeCode} · {s.storeName}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} data-testid={`dash-store-${s.storeCode}-sales`}>{money(s.today.salesCents)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} data-testid={`dash-store-${s.storeCode}-tickets`}>{s.today.tickets}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{money(avg(s.today))}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{s.today.units}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{s.lastYear ? money(s.lastYear.salesCents) : '—'}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}><Delta now={s.today.salesCents} before={s.lastYear?.salesCents} t={t} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
      </Stack>
    </>
  );
}
