import { useCallback, useEffect, useState } from 'react';
import { ApiError, stockApi, type Availability, type DeliveryNote, type ScannedProduct, type StockDocument } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useErrorText, useScanHandler, useSession } from '../session';

type Tab = 'receive' | 'count' | 'request' | 'lookup';

/**
 * "Almacén": receiving a delivery note by scanning (Recepción), counting by scanning (Recuento), asking for
 * goods (Pedir reposición) and the stock of a scanned item here and nearby. Receipts, counts and requests are
 * saved at the till and go up to head office by themselves (offline too); the stock lookup needs the link.
 */
export function StockScreen({ onExit }: { onExit: () => void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('receive');
  const [docs, setDocs] = useState<StockDocument[]>([]);
  const { fail } = useSession();
  const loadDocs = useCallback(() => void stockApi.documents().then(setDocs, fail), [fail]);
  useEffect(() => {
    loadDocs();
    const timer = setInterval(loadDocs, 3000);
    return () => clearInterval(timer);
  }, [loadDocs]);
  const tabs: Array<[Tab, MessageKey]> = [['receive', 'stock.tab.receive'], ['count', 'stock.tab.count'], ['request', 'stock.tab.request'], ['lookup', 'stock.tab.lookup']];
  return (
    <main className="page stock" data-testid="stock-screen">
      <div className="page-head">
        <h2>{t('stock.title')}</h2>
        <nav className="stock-tabs">
          {tabs.map(([id, label]) => (
            <button key={id} className={tab === id ? 'on' : ''} onClick={() => setTab(id)} data-testid={`stock-tab-${id}`}>
              {t(label)}
            </button>
          ))}
        </nav>
      </div>
      {tab === 'receive' && <ReceivePanel onSent={loadDocs} />}
      {tab === 'count' && <ScanListPanel kind="count" onSent={loadDocs} />}
      {tab === 'request' && <ScanListPanel kind="request" onSent={loadDocs} />}
      {tab === 'lookup' && <LookupPanel />}
      <section className="stock-docs" data-testid="stock-documents">
        <h3>{t('stock.documents')}</h3>
        <ul>
          {docs.map((d) => (
            <li key={d.id} data-testid="stock-document" data-status={d.status} data-kind={d.kind}>
              {t(`stock.doc.${d.kind}` as MessageKey)} · {new Date(d.createdAt).toLocaleString()} · <strong>{t(`stock.status.${d.status}` as MessageKey)}</strong>
              {d.reference ? ` · ${d.reference}` : ''}
              {d.message ? ` · ${d.message}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <div className="page-actions">
        <button className="primary big" onClick={onExit}>
          {t('action.back')}
        </button>
      </div>
    </main>
  );
}

/** A barcode field for people and tests; scanners go through the keyboard wedge / device scan events. */
function ScanField({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const submit = () => {
    if (code.trim()) onCode(code.trim());
    setCode('');
  };
  return (
    <div className="search">
      <input
        className="big-input"
        value={code}
        placeholder={t('stock.scanPlaceholder')}
        onChange={(e) => setCode(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && submit()}
        data-testid="stock-scan-input"
      />
      <button className="big" onClick={submit} data-testid="stock-scan-add">
        {t('stock.add')}
      </button>
    </div>
  );
}

/** Looks a scanned code up in the till's catalogue (offline too) and hands the product on. */
function useProductScans(onProduct: (p: ScannedProduct) => void): (code: string) => void {
  const { t } = useI18n();
  const { fail, flash, clearScanErrors } = useSession();
  const errorText = useErrorText();
  const scan = (code: string) =>
    void stockApi.scan(code).then(
      (p) => (clearScanErrors(), onProduct(p)),
      (e: unknown) => (e instanceof ApiError && e.code.startsWith('BARCODE_') ? flash('error', t('scan.failed', { message: errorText(e), code }), e.code) : fail(e)),
    );
  useScanHandler(scan);
  return scan;
}

interface ReceiveLine { productId: string; sku: string; name: string; expected: number; received: number; damaged: number }

function ReceivePanel({ onSent }: { onSent: () => void }) {
  const { t } = useI18n();
  const { fail, flash } = useSession();
  const [notes, setNotes] = useState<DeliveryNote[] | null>(null);
  const [note, setNote] = useState<DeliveryNote | null>(null);
  const [lines, setLines] = useState<ReceiveLine[]>([]);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => void stockApi.deliveryNotes().then(setNotes, fail), [fail]);
  // Notes arrive with the change feed at any moment: the list follows while none is open.
  useEffect(() => {
    if (note) return;
    load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [load, note]);
  const open = (n: DeliveryNote) => {
    setNote(n);
    setLines(n.lines.map((l) => ({ productId: l.productId, sku: l.sku, name: l.name, expected: l.quantity, received: 0, damaged: 0 })));
  };
  const change = (productId: string, f: (l: ReceiveLine) => ReceiveLine) => setLines((ls) => ls.map((l) => (l.productId === productId ? f(l) : l)));
  const scan = useProductScans((p) => {
    if (!note) return;
    setLines((ls) => {
      if (ls.some((l) => l.productId === p.productId)) return ls.map((l) => (l.productId === p.productId ? { ...l, received: l.received + p.units } : l));
      flash('info', t('stock.notOnNote', { name: p.name }));
      return [...ls, { productId: p.productId, sku: p.sku, name: p.name, expected: 0, received: p.units, damaged: 0 }];
    });
  });
  const confirm = () => {
    if (!note) return;
    setBusy(true);
    stockApi
      .receive(note.id, lines.map((l) => ({ productId: l.productId, received: l.received, ...(l.damaged ? { damaged: l.damaged } : {}) })))
      .then(() => {
        flash('success', t('stock.sent', { what: `${t('stock.tab.receive')} ${note.number}` }));
        setNote(null);
        onSent();
      }, fail)
      .finally(() => setBusy(false));
  };
  if (!note) {
    if (!notes) return <p>{t('status.loading')}</p>;
    if (notes.length === 0) return <p className="empty" data-testid="stock-no-notes">{t('stock.noNotes')}</p>;
    return (
      <div data-testid="stock-notes">
        <p>{t('stock.pickNote')}</p>
        {notes.map((n) => (
          <button key={n.id} className="big" onClick={() => open(n)} data-testid={`delivery-note-${n.number}`}>
            {t('stock.noteLine', { number: n.number, from: n.from, lines: n.lines.length })}
          </button>
        ))}
      </div>
    );
  }
  return (
    <div data-testid="stock-receive" data-note={note.number}>
      <p className="lead">{t('stock.noteLine', { number: note.number, from: note.from, lines: note.lines.length })}</p>
      <p className="hint">{t('stock.scanHint')}</p>
      <ScanField onCode={scan} />
      <table className="return-lines">
        <thead>
          <tr>
            <th>{t('stock.sku')}</th>
            <th>{t('stock.product')}</th>
            <th className="num">{t('stock.expected')}</th>
            <th className="num">{t('stock.received')}</th>
            <th className="num">{t('stock.damaged')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const diff = l.received + l.damaged - l.expected;
            return (
              <tr key={l.productId} data-testid={`receive-line-${l.sku}`} data-received={l.received} data-damaged={l.damaged}>
                <td>{l.sku}</td>
                <td>
                  {l.name}
                  {diff !== 0 && <span className="warn-text"> · {t(diff < 0 ? 'stock.diff.short' : 'stock.diff.over', { n: Math.abs(diff) })}</span>}
                </td>
                <td className="num">{l.expected}</td>
                <td className="num">{l.received}</td>
                <td className="num">{l.damaged}</td>
                <td>
                  <button onClick={() => change(l.productId, (x) => ({ ...x, received: Math.max(0, x.received - 1) }))} data-testid="line-minus">−</button>
                  <button onClick={() => change(l.productId, (x) => ({ ...x, received: x.received + 1 }))} data-testid="line-plus">+</button>
                  <button onClick={() => change(l.productId, (x) => ({ ...x, damaged: x.damaged + 1, received: Math.max(0, x.received - 1) }))} data-testid="line-damaged">
                    {t('stock.markDamaged')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="page-actions">
        <button className="big" onClick={() => setNote(null)}>{t('action.cancel')}</button>
        <button className="primary big" disabled={busy} onClick={confirm} data-testid="stock-confirm-receipt">
          {t('stock.confirmReceipt')}
        </button>
      </div>
    </div>
  );
}

interface ListLine { productId: string; sku: string; name: string; quantity: number }

/** Recuento (counted quantities, blind: nothing expected is shown) and Pedir reposición (quantities wanted). */
function ScanListPanel({ kind, onSent }: { kind: 'count' | 'request'; onSent: () => void }) {
  const { t } = useI18n();
  const { fail, flash } = useSession();
  const [lines, setLines] = useState<ListLine[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const scan = useProductScans((p) =>
    setLines((ls) =>
      ls.some((l) => l.productId === p.productId)
        ? ls.map((l) => (l.productId === p.productId ? { ...l, quantity: l.quantity + p.units } : l))
        : [...ls, { productId: p.productId, sku: p.sku, name: p.name, quantity: p.units }],
    ),
  );
  const step = (productId: string, d: number) =>
    setLines((ls) => ls.map((l) => (l.productId === productId ? { ...l, quantity: Math.max(kind === 'count' ? 0 : 1, l.quantity + d) } : l)));
  const send = () => {
    setBusy(true);
    const done =
      kind === 'count'
        ? stockApi.count(lines.map((l) => ({ productId: l.productId, counted: l.quantity })))
        : stockApi.requestReplenishment(lines.map((l) => ({ productId: l.productId, quantity: l.quantity })), note.trim() || undefined);
    done
      .then(() => {
        flash('success', t('stock.sent', { what: t(kind === 'count' ? 'stock.tab.count' : 'stock.tab.request') }));
        setLines([]);
        setNote('');
        onSent();
      }, fail)
      .finally(() => setBusy(false));
  };
  return (
    <div data-testid={`stock-${kind}`}>
      <p className="hint">{t('stock.scanHint')}</p>
      <ScanField onCode={scan} />
      {lines.length === 0 ? (
        <p className="empty">{t('stock.empty')}</p>
      ) : (
        <table className="return-lines">
          <thead>
            <tr>
              <th>{t('stock.sku')}</th>
              <th>{t('stock.product')}</th>
              <th className="num">{t(kind === 'count' ? 'stock.counted' : 'stock.quantity')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.productId} data-testid={`${kind}-line-${l.sku}`} data-quantity={l.quantity}>
                <td>{l.sku}</td>
                <td>{l.name}</td>
                <td className="num">{l.quantity}</td>
                <td>
                  <button onClick={() => step(l.productId, -1)} data-testid="line-minus">−</button>
                  <button onClick={() => step(l.productId, 1)} data-testid="line-plus">+</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kind === 'request' && (
        <input className="big-input" value={note} placeholder={t('stock.note')} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="stock-request-note" />
      )}
      <div className="page-actions">
        <button className="primary big" disabled={busy || lines.length === 0} onClick={send} data-testid={`stock-send-${kind}`}>
          {t(kind === 'count' ? 'stock.confirmCount' : 'stock.confirmRequest')}
        </button>
      </div>
    </div>
  );
}

function LookupPanel() {
  const { t } = useI18n();
  const { fail } = useSession();
  const [product, setProduct] = useState<ScannedProduct | null>(null);
  const [answer, setAnswer] = useState<Availability | null>(null);
  const scan = useProductScans((p) => {
    setProduct(p);
    setAnswer(null);
    stockApi.availability(p.productId).then(setAnswer, fail);
  });
  return (
    <div data-testid="stock-lookup">
      <p className="hint">{t('stock.lookupHint')}</p>
      <ScanField onCode={scan} />
      {product && <p className="lead">{product.sku} · {product.name}</p>}
      {answer && !answer.online && <p className="warn-text" data-testid="stock-lookup-offline">{t('stock.offline')}</p>}
      {answer?.online && (
        <>
          <table className="return-lines" data-testid="stock-lookup-stores">
            <thead>
              <tr>
                <th>{t('stock.store')}</th>
                <th className="num">{t('stock.onHand')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.stores.map((s) => (
                <tr key={s.storeId} data-testid={`stock-at-${s.code}`} data-quantity={s.quantity}>
                  <td>{s.code} · {s.name}{s.thisStore ? ` (${t('stock.thisStore')})` : ''}</td>
                  <td className="num">{s.quantity}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="stock-incoming">{t('stock.incoming', { n: answer.incoming })}</p>
        </>
      )}
    </div>
  );
}
