import { useEffect, useState } from 'react';
import { useI18n } from './i18n';

interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { engine: string; location: string; ok: boolean };
}

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [health, setHealth] = useState<Health | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = () =>
      fetch('/health')
        .then((r) => r.json() as Promise<Health>)
        .then((h) => alive && (setHealth(h), setUnreachable(false)))
        .catch(() => alive && setUnreachable(true));
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.title')}</h1>
        <button className="lang" onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}>
          {t('lang.switch')}
        </button>
      </header>
      {unreachable && <div className="banner error" role="alert">{t('status.unreachable')}</div>}
      <main className="status">
        <h2>{t('status.title')}</h2>
        {!health ? (
          <p>{t('status.loading')}</p>
        ) : (
          <dl data-testid="health">
            <dt>{t('status.service')}</dt>
            <dd data-status={health.status}>{health.status === 'ok' ? t('status.ok') : t('status.degraded')}</dd>
            <dt>{t('status.version')}</dt>
            <dd>{health.version}</dd>
            <dt>{t('status.database')}</dt>
            <dd>{health.database.engine} · {health.database.location}</dd>
          </dl>
        )}
      </main>
    </div>
  );
}
