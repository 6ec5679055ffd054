import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { formatMoney } from '@tpv/shared/money';
import { api, ApiError, session } from './api';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';
// The API's response shapes, as the back office's read models declare them (type-only: nothing of the
// server is bundled).
import type { DailySales, TerminalStatus } from '../../src/reports/service';
import type { MovementView, StockRow } from '../../src/stock/service';
import { ReviewQueue } from './Review';

interface Movements {
  quantity: number;
  movements: MovementView[];
}

interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { engine: string; location: string };
}
interface Organisation {
  companies: Array<{
    id: string;
    kind: 'franchisor' | 'franchisee';
    nif: string;
    legalName: string;
    stores: Array<{ id: string; code: string; name: string; terminals: Array<{ id: string; code: string; name: string; lastSeenAt: string | null }> }>;
  }>;
}
interface Me {
  id: string;
  email: string;
  name: string;
  role: string;
  permissions?: string[];
}

type Page = 'network' | 'terminals' | 'sales' | 'stock' | 'review';

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [health, setHealth] = useState<Health | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const [page, setPage] = useState<Page>('network');

  useEffect(() => {
    fetch('/health')
      .then((r) => r.json())
      .then((h) => setHealth(h as Health))
      .catch(() => setUnreachable(true));
    if (!session.get()) return setChecked(true);
    api<Me>('GET', '/api/auth/me')
      .then(setMe)
      .catch(() => undefined)
      .finally(() => setChecked(true));
  }, []);

  const logout = () => {
    void api('POST', '/api/auth/logout').catch(() => undefined);
    session.set(null);
    setMe(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <div className="topbar-right">
          {me && (
            <>
              <span className="who">{me.name}</span>
              <button className="lang" onClick={logout}>{t('login.logout')}</button>
            </>
          )}
          <button className="lang" onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}>{t('lang.switch')}</button>
        </div>
      </header>
      {unreachable && <div className="banner error" role="alert">{t('health.unreachable')}</div>}
      {health && (
        <div className={`banner ${health.status}`} data-testid="health">
          {health.status === 'ok' ? t('health.ok') : t('health.degraded')} · {t('health.version', { version: health.version })} ·{' '}
          {t('health.db', { engine: health.database.engine, location: health.database.location })}
        </div>
      )}
      {checked && !me && <Login onLogin={setMe} />}
      {me && (
        <>
          <nav className="tabs">
            {(['network', 'terminals', 'sales', 'stock', ...(me.permissions?.includes('review.read') ? (['review'] as const) : [])] as const).map((p) => (
              <button key={p} className={page === p ? 'active' : ''} onClick={() => setPage(p)} data-testid={`nav-${p}`}>
                {t(`nav.${p}` as MessageKey)}
              </button>
            ))}
          </nav>
          <main className="content">
            {page === 'network' && <Network />}
            {page === 'terminals' && <Terminals />}
            {page === 'sales' && <Sales />}
            {page === 'stock' && <Stock />}
            {page === 'review' && me.permissions?.includes('review.read') && <ReviewQueue />}
          </main>
        </>
      )}
    </div>
  );
}

function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [failed, setFailed] = useState<'login.failed' | 'login.throttled' | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api<{ token: string; user: Me }>('POST', '/api/auth/login', { email, password });
      session.set(r.token);
      onLogin(r.user);
    } catch (err) {
      setFailed(err instanceof ApiError && err.status === 429 ? 'login.throttled' : 'login.failed');
    }
  };
  return (
    <main className="content">
      <form className="login" onSubmit={(e) => void submit(e)}>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.email')}
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          {t('login.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {failed && <p className="error" role="alert">{t(failed)}</p>}
        <button type="submit">{t('login.submit')}</button>
      </form>
    </main>
  );
}

/** Loads JSON from the API, again when `deps` change. */
export function useApi<T>(path: string | null, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    api<T>('GET', path)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [path, tick, ...deps]);
  return { data, error, reload: useCallback(() => setTick((x) => x + 1), []) };
}

export function Status({ error }: { error: string | null }) {
  const { t } = useI18n();
  return error ? <p className="error">{t('common.error', { message: error })}</p> : <p>{t('common.loading')}</p>;
}

function Network() {
  const { t, locale } = useI18n();
  const { data: org, error } = useApi<Organisation>('/api/organisation');
  if (!org) return <Status error={error} />;
  return (
    <>
      <h2>{t('org.title')}</h2>
      {org.companies.length === 0 ? (
        <p>{t('org.empty')}</p>
      ) : (
        org.companies.map((c) => (
          <section key={c.id} className="company">
            <h3>
              {c.legalName} <small>{c.kind === 'franchisor' ? t('org.franchisor') : t('org.franchisee')} · {t('org.nif')} {c.nif}</small>
            </h3>
            <table>
              <thead>
                <tr><th>{t('org.store')}</th><th>{t('org.terminals')}</th><th>{t('org.lastSeen')}</th></tr>
              </thead>
              <tbody>
                {c.stores.flatMap((s) =>
                  (s.terminals.length ? s.terminals : [null]).map((term, i) => (
                    <tr key={`${s.id}-${term?.id ?? 'none'}`}>
                      <td>{i === 0 ? `${s.code} · ${s.name}` : ''}</td>
                      <td>{term ? `${term.code} · ${term.name}` : '—'}</td>
                      <td>{term ? (term.lastSeenAt ? new Date(term.lastSeenAt).toLocaleString(locale) : t('org.never')) : ''}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}

function Terminals() {
  const { t, locale } = useI18n();
  const { data, error, reload } = useApi<TerminalStatus[]>('/api/terminals');
  const [codes, setCodes] = useState<Record<string, { code: string; expiresAt: string }>>({});
  useEffect(() => {
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);
  if (!data) return <Status error={error} />;
  const pair = async (id: string) => {
    const c = await api<{ code: string; expiresAt: string }>('POST', `/api/terminals/${id}/pairing-code`);
    setCodes((x) => ({ ...x, [id]: c }));
  };
  const revoke = async (id: string) => {
    if (!window.confirm(t('term.revokeConfirm'))) return;
    await api('POST', `/api/terminals/${id}/revoke`);
    reload();
  };
  // New hardware: a new terminal (own code, series and chain) with its pairing code; the old one is retired.
  const replace = async (id: string) => {
    if (!window.confirm(t('term.replaceConfirm'))) return;
    const r = await api<{ terminal: { id: string }; code: string; expiresAt: string }>('POST', `/api/terminals/${id}/replace`);
    setCodes((x) => ({ ...x, [r.terminal.id]: { code: r.code, expiresAt: r.expiresAt } }));
    reload();
  };
  const codeOf = (id: string | null) => data.find((x) => x.id === id)?.code ?? '?';
  return (
    <>
      <h2>{t('term.title')}</h2>
      <table data-testid="terminals">
        <thead>
          <tr>
            <th>{t('term.terminal')}</th><th>{t('term.status')}</th><th>{t('org.lastSeen')}</th><th>{t('term.acked')}</th>
            <th>{t('term.pending')}</th><th>{t('term.held')}</th><th>{t('term.version')}</th><th>{t('term.issues')}</th><th />
          </tr>
        </thead>
        <tbody>
          {data.map((x) => (
            <tr key={x.id}>
              <td>{x.storeCode} · {x.code} · {x.name}</td>
              <td data-testid="terminal-status">
                {x.replacedById
                  ? t('term.replaced', { code: codeOf(x.replacedById) })
                  : x.conflict
                    ? <span className="warn" title={x.conflict.message}>{t('term.conflict')}</span>
                    : x.revoked ? t('term.revoked') : !x.paired ? t('term.unpaired') : x.online ? t('term.online') : t('term.offline')}
                {x.replacesId && <> · {t('term.replaces', { code: codeOf(x.replacesId) })}</>}
              </td>
              <td>{x.lastSeenAt ? new Date(x.lastSeenAt).toLocaleString(locale) : t('org.never')}</td>
              <td className="num">{x.lastAckedSeq}</td>
              <td className="num">{x.pending ?? '—'}</td>
              <td className="num">{x.held}</td>
              <td>{x.appVersion ?? '—'} / {x.catalogVersion}</td>
              <td>
                {x.chainBreaks > 0 && <span className="warn">{t('term.breaks', { n: x.chainBreaks })} </span>}
                {x.rejected > 0 && <span className="warn">{t('term.rejected', { n: x.rejected })}</span>}
              </td>
              <td>
                {codes[x.id] ? (
                  <strong className="code">{t('term.code', { code: codes[x.id]!.code, at: new Date(codes[x.id]!.expiresAt).toLocaleTimeString(locale) })}</strong>
                ) : (
                  <button onClick={() => void pair(x.id)}>{t('term.pair')}</button>
                )}{' '}
                {x.paired && !x.revoked && <button onClick={() => void revoke(x.id)}>{t('term.revoke')}</button>}{' '}
                {!x.replacedById && <button data-testid="replace" onClick={() => void replace(x.id)}>{t('term.replace')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Sales() {
  const { t, locale } = useI18n();
  const { data, error } = useApi<DailySales[]>('/api/sales/daily');
  if (!data) return <Status error={error} />;
  const money = (c: number) => formatMoney(c, locale);
  return (
    <>
      <h2>{t('sales.title')}</h2>
      {data.length === 0 ? (
        <p>{t('sales.empty')}</p>
      ) : (
        <table data-testid="sales">
          <thead>
            <tr><th>{t('sales.date')}</th><th>{t('org.store')}</th><th>{t('sales.tickets')}</th><th>{t('sales.returns')}</th><th>{t('sales.total')}</th><th>{t('sales.tax')}</th></tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={`${d.storeId}-${d.businessDate}`}>
                <td>{d.businessDate}</td>
                <td>{d.storeCode} · {d.storeName}</td>
                <td className="num">{d.tickets}</td>
                <td className="num">{d.returns}</td>
                <td className="num">{money(d.totalCents)}</td>
                <td className="num">{money(d.taxCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Stock() {
  const { t, locale } = useI18n();
  const { data: org } = useApi<Organisation>('/api/organisation');
  const stores = org?.companies.flatMap((c) => c.stores) ?? [];
  const [storeId, setStoreId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [product, setProduct] = useState<StockRow | null>(null);
  const current = storeId ?? stores[0]?.id ?? null;
  const { data, error } = useApi<StockRow[]>(current ? `/api/stores/${current}/stock?q=${encodeURIComponent(q)}` : null);
  const { data: mv } = useApi<Movements>(current && product ? `/api/stores/${current}/stock/${product.productId}/movements` : null);
  const qty = (r: { quantity: number }, weighed: boolean) => (weighed ? `${(r.quantity / 1000).toLocaleString(locale)} kg` : r.quantity.toLocaleString(locale));
  return (
    <>
      <h2>{t('stock.title')}</h2>
      <div className="filters">
        <label>
          {t('stock.store')}{' '}
          <select value={current ?? ''} onChange={(e) => (setStoreId(e.target.value), setProduct(null))}>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>{s.code} · {s.name}</option>
            ))}
          </select>
        </label>{' '}
        <input placeholder={t('stock.search')} value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      {!data ? (
        <Status error={error} />
      ) : data.length === 0 ? (
        <p>{t('stock.empty')}</p>
      ) : (
        <div className="split">
          <table data-testid="stock">
            <thead>
              <tr><th>{t('stock.product')}</th><th>{t('stock.quantity')}</th><th>{t('stock.updated')}</th></tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.productId} className={product?.productId === r.productId ? 'selected' : ''} onClick={() => setProduct(r)}>
                  <td>{r.sku} · {r.name}</td>
                  <td className="num">{qty(r, r.weighed)}</td>
                  <td>{new Date(r.updatedAt).toLocaleString(locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {product && mv && (
            <section>
              <h3>{t('stock.movements', { name: product.name })}</h3>
              <table data-testid="movements">
                <thead>
                  <tr><th>{t('stock.at')}</th><th>{t('stock.reason')}</th><th>{t('stock.delta')}</th><th>{t('stock.ticket')}</th></tr>
                </thead>
                <tbody>
                  {mv.movements.map((m) => (
                    <tr key={m.id}>
                      <td>{new Date(m.at).toLocaleString(locale)}</td>
                      <td>{t(`reason.${m.reason}` as MessageKey)}</td>
                      <td className="num">{qty({ quantity: m.delta }, product.weighed)}</td>
                      <td>{m.fiscalNumber ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
      )}
    </>
  );
}
