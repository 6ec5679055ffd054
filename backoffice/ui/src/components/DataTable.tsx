/**
 * The back office's list: a @tanstack/react-table table whose paging, sorting, search and filters happen on
 * the server (state in the URL, see list.ts), with CSV/XLSX export of the same query. A column sorts by its
 * id unless `enableSorting: false`; `meta.align: 'right'` for numbers.
 *
 *   <DataTable endpoint="/api/catalog/products" columns={cols} rowKey={(p) => p.id}
 *              filters={[{ name: 'status', label: t('status'), options: [...] }]} exportName="productos" />
 */
import { Box, Button, Group, Menu, NativeSelect, Pagination, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, download, get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { ErrorState, Loading, useToast } from './feedback';
import { listSearch, PAGE_SIZES, toPage, useListParams, type FetchedPage, type LegacyList, type ListDefaults, type ListQuery, type Page } from './list';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    align?: 'left' | 'right' | 'center';
    /** Cell test id (data-testid on each <td> of the column). */
    testId?: string;
  }
}

export interface FilterDef {
  /** Query parameter name (storeId, status, from…). */
  name: string;
  label: string;
  /** A select with these options ('' = all, unless `required`); without options a text input. */
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
  type?: 'text' | 'date';
  testId?: string;
}

export interface DataTableProps<T> {
  columns: Array<ColumnDef<T, never>> | Array<ColumnDef<T, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  rowKey: (row: T) => string;
  /**
   * GET route answering the list contract (or a function of the query when a filter is part of the path:
   * `(q) => q.filters.storeId ? `/api/stores/${q.filters.storeId}/stock` : null`, with `pathFilters`).
   */
  endpoint?: string | ((query: ListQuery) => string | null);
  /** Filters that go into the endpoint's path rather than its query string. */
  pathFilters?: string[];
  /** Reading a route that does not follow the contract yet (see list.ts LegacyList). */
  legacy?: LegacyList<T>;
  /** Anything else: a function that returns the page. */
  fetchPage?: (query: ListQuery) => Promise<Page<T>>;
  /** Told every page the table shows (e.g. to look rows up by id). */
  onPage?: (page: Page<T>) => void;
  /** Cache key of `fetchPage` lists (the endpoint is the key otherwise). */
  queryKey?: readonly unknown[];
  defaults?: ListDefaults;
  /** Prefix of the URL params when two lists share a page. */
  paramPrefix?: string;
  filters?: FilterDef[];
  /** A search box (sent as `q`). */
  search?: boolean | string;
  /** Base name of exported files (the server's Content-Disposition name wins); the export menu shows when the route answers the list contract; off with `false`. */
  exportName?: string | false;
  toolbar?: ReactNode;
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  empty?: ReactNode;
  refetchInterval?: number;
  testId?: string;
  /** Hide the pager (a short list known to fit one page). */
  noPager?: boolean;
  /** Below this width (px) the table scrolls sideways instead of squeezing its columns. */
  minWidth?: number;
}

/** Routes found to answer only their own (pre-contract) query string: asked that way at once next time. */
const LEGACY_ROUTES = new Set<string>();

export function DataTable<T>(p: DataTableProps<T>) {
  const { t } = useT();
  const toast = useToast();
  const { query, set } = useListParams(p.defaults, p.paramPrefix);
  const pathOf = (q: ListQuery) => (typeof p.endpoint === 'function' ? p.endpoint(q) : (p.endpoint ?? null));
  const searchOf = (q: ListQuery, extra: Record<string, string | number | undefined> = {}) => {
    const s = listSearch(q, extra);
    for (const f of p.pathFilters ?? []) delete s[f];
    return s;
  };
  const list = useQuery({
    queryKey: ['list', ...(p.queryKey ?? [typeof p.endpoint === 'string' ? p.endpoint : p.testId]), query],
    queryFn: async (): Promise<FetchedPage<T>> => {
      if (p.fetchPage) return { ...(await p.fetchPage(query)), exportable: false };
      const path = pathOf(query);
      if (!path) return { items: [], page: 1, pageSize: query.pageSize, total: 0, hasMore: false, exportable: false };
      const route = path.split('?')[0]!;
      if (p.legacy?.query && LEGACY_ROUTES.has(route)) return toPage<T>(await get<unknown>(withQuery(path, p.legacy.query(query))), query, p.legacy);
      try {
        return toPage<T>(await get<unknown>(withQuery(path, searchOf(query))), query, p.legacy);
      } catch (e) {
        // An older route that refuses the contract's parameters: ask in its own terms (and remember).
        if (!(e instanceof ApiError && e.status === 400 && p.legacy?.query)) throw e;
        LEGACY_ROUTES.add(route);
        return toPage<T>(await get<unknown>(withQuery(path, p.legacy.query(query))), query, p.legacy);
      }
    },
    placeholderData: keepPreviousData,
    refetchInterval: p.refetchInterval,
  });
  const onPage = p.onPage;
  useEffect(() => {
    if (list.data) onPage?.(list.data);
  }, [list.data, onPage]);
  const [q, setQ] = useState(query.q ?? '');
  useEffect(() => setQ(query.q ?? ''), [query.q]);
  const pushQ = useDebouncedCallback((v: string) => set({ q: v || null }), 300);

  const table = useReactTable<T>({
    data: list.data?.items ?? [],
    columns: p.columns as Array<ColumnDef<T, unknown>>,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => p.rowKey(row),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    state: { sorting: query.sort ? [{ id: query.sort, desc: query.dir === 'desc' }] : [] },
    rowCount: list.data?.total ?? 0,
  });

  const toggleSort = (id: string) => {
    if (query.sort !== id) set({ sort: id, dir: 'asc' });
    else if (query.dir !== 'desc') set({ sort: id, dir: 'desc' });
    else set({ sort: null, dir: null });
  };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await download(withQuery(pathOf(query)!, searchOf(query, { page: undefined, pageSize: undefined, format })), `${p.exportName || 'export'}.${format}`);
    } catch (e) {
      toast.fail(e, t('table.exportFailed', { message: '' }).replace(/:\s*$/, ''));
    }
  };

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  // Anything narrower than the defaults (a default filter such as status=open does not count).
  const activeFilters = Boolean(query.q) || Object.entries(query.filters).some(([k, v]) => (p.defaults?.filters?.[k] ?? '') !== v) || Object.keys(p.defaults?.filters ?? {}).some((k) => p.defaults!.filters![k] && !query.filters[k]);
  // Export only where the route follows the contract (it then answers ?format=csv|xlsx as well).
  const canExport = p.exportName !== false && data?.exportable === true;

  return (
    <Box data-testid={p.testId ? `${p.testId}-list` : undefined}>
      {(p.search || p.filters?.length || canExport || p.toolbar) && (
        <Group mb="sm" align="end" gap="sm" wrap="wrap">
          {p.search && (
            <TextInput
              aria-label={typeof p.search === 'string' ? p.search : t('table.search')}
              placeholder={typeof p.search === 'string' ? p.search : t('table.search')}
              value={q}
              onChange={(e) => (setQ(e.currentTarget.value), pushQ(e.currentTarget.value))}
              data-testid={p.testId ? `${p.testId}-search` : 'search'}
              w={240}
            />
          )}
          {p.filters?.map((f) =>
            f.options ? (
              <NativeSelect
                key={f.name}
                label={f.label}
                value={query.filters[f.name] ?? ''}
                onChange={(e) => set({ filters: { [f.name]: e.currentTarget.value } })}
                data={[...(f.required ? [] : [{ value: '', label: t('table.all') }]), ...f.options]}
                data-testid={f.testId}
              />
            ) : (
              <TextInput
                key={`${f.name}=${query.filters[f.name] ?? ''}`}
                label={f.label}
                type={f.type === 'date' ? 'date' : 'text'}
                defaultValue={query.filters[f.name] ?? ''}
                onBlur={(e) => set({ filters: { [f.name]: e.currentTarget.value } })}
                onKeyDown={(e) => e.key === 'Enter' && set({ filters: { [f.name]: e.currentTarget.value } })}
                data-testid={f.testId}
              />
            ),
          )}
          {activeFilters && p.filters?.some((f) => !f.required) && (
            <Button variant="subtle" size="sm" onClick={() => set({ q: null, filters: Object.fromEntries(p.filters!.filter((f) => !f.required).map((f) => [f.name, null])) })}>
              {t('table.reset')}
            </Button>
          )}
          <Group ml="auto" gap="xs">
            {p.toolbar}
            {canExport && (
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button variant="default" data-testid="export">{t('table.export')}</Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => void exportAs('csv')} data-testid="export-csv">{t('table.exportCsv')}</Menu.Item>
                  <Menu.Item onClick={() => void exportAs('xlsx')} data-testid="export-xlsx">{t('table.exportXlsx')}</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      )}
      {data && list.error && (
        // The last good page stays on screen; say it may be out of date.
        <Box mb="sm">
          <ErrorState error={list.error} retry={() => void list.refetch()} />
        </Box>
      )}
      {!data && list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : !data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <Text c="dimmed" py="md" data-testid={p.testId ? `${p.testId}-empty` : undefined}>{p.empty ?? t('table.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={p.minWidth ?? 560}>
          <Table striped highlightOnHover={Boolean(p.onRowClick)} data-testid={p.testId} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              {table.getHeaderGroups().map((hg) => (
                <Table.Tr key={hg.id}>
                  {hg.headers.map((h) => {
                    const sorted = h.column.getIsSorted();
                    const label = h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext());
                    return (
                      <Table.Th key={h.id} style={{ textAlign: h.column.columnDef.meta?.align }} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                        {h.column.getCanSort() ? (
                          <UnstyledButton onClick={() => toggleSort(h.column.id)} fw={600} fz="sm" data-testid={`sort-${h.column.id}`}>
                            {label} {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                          </UnstyledButton>
                        ) : (
                          label
                        )}
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Thead>
            <Table.Tbody>
              {table.getRowModel().rows.map((row) => (
                <Table.Tr
                  key={row.id}
                  onClick={p.onRowClick ? () => p.onRowClick!(row.original) : undefined}
                  // Clickable rows are reachable with the keyboard too (Tab, then Enter).
                  tabIndex={p.onRowClick ? 0 : undefined}
                  onKeyDown={p.onRowClick ? (e) => e.key === 'Enter' && e.target === e.currentTarget && p.onRowClick!(row.original) : undefined}
                  bg={p.selectedKey === row.id ? 'var(--mantine-primary-color-light)' : undefined}
                  aria-selected={p.onRowClick ? p.selectedKey === row.id : undefined}
                  style={p.onRowClick ? { cursor: 'pointer' } : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <Table.Td key={cell.id} style={{ textAlign: cell.column.columnDef.meta?.align, fontVariantNumeric: cell.column.columnDef.meta?.align === 'right' ? 'tabular-nums' : undefined }} data-testid={cell.column.columnDef.meta?.testId}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.items.length > 0 && !p.noPager && <Pager data={data} pages={pages} set={set} />}
    </Box>
  );
}

function Pager<T>({ data, pages, set }: { data: Page<T>; pages: number; set: ReturnType<typeof useListParams>['set'] }) {
  const { t } = useT();
  const from = (data.page - 1) * data.pageSize + 1;
  const to = from + data.items.length - 1;
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="range">
        {t(data.hasMore && data.total < to + 1 ? 'table.rangeMore' : 'table.range', { from, to, total: data.total })}
      </Text>
      <Group gap="sm">
        <NativeSelect
          aria-label={t('table.pageSize')}
          size="xs"
          value={String(data.pageSize)}
          onChange={(e) => set({ pageSize: e.currentTarget.value })}
          data={PAGE_SIZES.map((n) => String(n))}
        />
        <Pagination size="sm" total={data.hasMore ? Math.max(pages, data.page + 1) : pages} value={data.page} onChange={(page) => set({ page })} />
      </Group>
    </Group>
  );
}
