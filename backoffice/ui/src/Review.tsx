/** The ingest review queue (HQ only): rejected tickets, chain breaks, held gaps, refused batches, anomalies. */
import { useState } from 'react';
import { api, ApiError } from './api';
import { Status, useApi } from './App';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';
// The API's response shapes, as the back office's read models declare them (type-only).
import type { ReviewDetail, ReviewItemView, ReviewPage } from '../../src/persistence/review-queue';

const KINDS = ['rejected', 'break', 'gap', 'batch', 'anomaly'] as const;
const STATUSES = ['open', 'accepted', 'reapplied', 'resolved'] as const;
const PAGE = 50;

export function ReviewQueue() {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('open');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset), ...(kind ? { kind } : {}), ...(status ? { status } : {}) });
  const { data, error, reload } = useApi<ReviewPage>(`/api/review?${query.toString()}`);
  const { data: detail, reload: reloadDetail } = useApi<ReviewDetail>(selected ? `/api/review/${selected}` : null);

  const decide = async (item: ReviewItemView, action: 'reapply' | 'accept') => {
    setMessage(null);
    try {
      if (action === 'accept') {
        const note = window.prompt(t('review.acceptNote')) ?? '';
        await api('POST', `/api/review/${item.id}/accept`, note.trim() ? { note: note.trim() } : {});
      } else {
        await api('POST', `/api/review/${item.id}/reapply`);
      }
      setMessage({ ok: true, text: t(action === 'accept' ? 'review.acceptedMsg' : 'review.reappliedMsg', { seq: item.seq ?? '—' }) });
    } catch (e) {
      setMessage({ ok: false, text: t('review.failedMsg', { message: e instanceof ApiError ? e.message : String(e) }) });
    }
    reload();
    reloadDetail();
  };

  return (
    <>
      <h2>{t('review.title')}</h2>
      <div className="filters">
        <label>
          {t('review.kind')}{' '}
          <select value={kind} onChange={(e) => (setKind(e.target.value), setOffset(0))} data-testid="review-kind">
            <option value="">{t('review.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>{t(`review.kind.${k}` as MessageKey)}</option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('review.status')}{' '}
          <select value={status} onChange={(e) => (setStatus(e.target.value), setOffset(0))} data-testid="review-status">
            <option value="">{t('review.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{t(`review.status.${s}` as MessageKey)}</option>
            ))}
          </select>
        </label>
      </div>
      {message && <p className={message.ok ? '' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      {!data ? (
        <Status error={error} />
      ) : data.items.length === 0 ? (
        <p>{t('review.empty')}</p>
      ) : (
        <div className="review-layout">
          <div>
            <table data-testid="review">
              <thead>
                <tr>
                  <th>{t('review.at')}</th><th>{t('term.terminal')}</th><th>{t('review.seq')}</th><th>{t('review.kind')}</th>
                  <th>{t('review.reason')}</th><th>{t('review.status')}</th><th />
                </tr>
              </thead>
              <tbody>
                {data.items.map((x) => (
                  <tr key={x.id} className={selected === x.id ? 'selected' : ''} onClick={() => setSelected(x.id)}>
                    <td>{new Date(x.createdAt).toLocaleString(locale)}</td>
                    <td>{x.storeCode} · {x.terminalCode}</td>
                    <td className="num">{x.seq ?? '—'}</td>
                    <td>{t(`review.kind.${x.kind}` as MessageKey)}</td>
                    <td className="reason"><strong className="code">{x.code}</strong> {x.reason}</td>
                    <td>{t(`review.status.${x.status}` as MessageKey)}</td>
                    <td onClick={(e) => e.stopPropagation()}>
                      {x.status === 'open' && (
                        <>
                          {x.kind !== 'anomaly' && <button onClick={() => void decide(x, 'reapply')}>{t('review.reapply')}</button>}{' '}
                          <button onClick={() => void decide(x, 'accept')}>{t('review.accept')}</button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {t('review.range', { from: data.offset + 1, to: data.offset + data.items.length, total: data.total })}{' '}
              <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('review.prev')}</button>{' '}
              <button disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>{t('review.next')}</button>
            </p>
          </div>
          {detail && selected === detail.id && (
            <section data-testid="review-detail">
              <h3>{t('review.detail', { code: detail.code, seq: detail.seq ?? '—' })}</h3>
              <p className="reason">{detail.reason}</p>
              {detail.resolution && <p>{t('review.resolution', { by: detail.resolvedBy ?? '—', text: detail.resolution })}</p>}
              <h4>{t('review.decisions')}</h4>
              {detail.decisions.length === 0 ? (
                <p>{t('review.noDecisions')}</p>
              ) : (
                <ul>
                  {detail.decisions.map((d) => (
                    <li key={d.id}>
                      {new Date(d.at).toLocaleString(locale)} · {d.userEmail} · {t(`review.action.${d.action}` as MessageKey)} →{' '}
                      {t(`review.outcome.${d.outcome}` as MessageKey)}{d.detail ? `: ${d.detail}` : ''}
                    </li>
                  ))}
                </ul>
              )}
              <h4>{t('review.payload')}</h4>
              <pre className="payload">{detail.payload ? pretty(detail.payload) : '—'}</pre>
            </section>
          )}
        </div>
      )}
    </>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
