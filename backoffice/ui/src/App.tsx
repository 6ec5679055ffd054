import { useEffect, useState } from 'react';
import { useI18n } from './i18n';

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

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [health, setHealth] = useState<Health | null>(null);
  const [org, setOrg] = useState<Organisation | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    Promise.all([fetch('/health').then((r) => r.json()), fetch('/api/organisation').then((r) => (r.ok ? r.json() : null))])
      .then(([h, o]) => {
        setHealth(h as Health);
        setOrg(o as Organisation | null);
      })
      .catch(() => setUnreachable(true));
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <button className="lang" onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}>{t('lang.switch')}</button>
      </header>
      {unreachable && <div className="banner error" role="alert">{t('health.unreachable')}</div>}
      {health && (
        <div className={`banner ${health.status}`} data-testid="health">
          {health.status === 'ok' ? t('health.ok') : t('health.degraded')} · {t('health.version', { version: health.version })} ·{' '}
          {t('health.db', { engine: health.database.engine, location: health.database.location })}
        </div>
      )}
      <main className="content">
        <h2>{t('org.title')}</h2>
        {!org || org.companies.length === 0 ? (
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
      </main>
    </div>
  );
}
