import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type DevicesConfig, type DevicesState, type DisplayConfig, type DrawerConfig, type PrinterConfig, type ScannerConfig } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';

const PRINTER_KINDS = ['none', 'escpos-tcp', 'epson', 'star'] as const;
const DRAWER_KINDS = ['none', 'printer-kick', 'serial'] as const;
const SCANNER_KINDS = ['none', 'serial', 'hid'] as const;
const DISPLAY_KINDS = ['none', 'serial'] as const;
const SUFFIXES: Array<[string, string]> = [['\r', 'CR'], ['\n', 'LF'], ['\r\n', 'CR LF']];

const hex = (n: number) => n.toString(16).padStart(4, '0');

/** A fresh device of the chosen kind, keeping what still applies from the current one. */
function printerOf(kind: string, cur: PrinterConfig): PrinterConfig {
  if (kind === 'none') return { kind: 'none' };
  const base = cur.kind === 'none' ? { interface: 'tcp://192.168.1.50:9100', columns: 48 as const } : { interface: cur.interface, columns: cur.columns, previewUrl: cur.previewUrl };
  return { kind: kind as 'escpos-tcp', ...base };
}
function drawerOf(kind: string): DrawerConfig {
  if (kind === 'printer-kick') return { kind, pin: 2, pulseMs: 50 };
  if (kind === 'serial') return { kind, path: '/dev/ttyUSB1', baud: 9600 };
  return { kind: 'none' };
}
function scannerOf(kind: string): ScannerConfig {
  if (kind === 'serial') return { kind, path: '/dev/ttyACM0', baud: 9600, suffix: '\r' };
  if (kind === 'hid') return { kind, vendorId: 0x0c2e, productId: 0x0b61 };
  return { kind: 'none' };
}
function displayOf(kind: string): DisplayConfig {
  return kind === 'serial' ? { kind, path: '/dev/ttyUSB2', baud: 9600 } : { kind: 'none' };
}

/** Manager's page: live state of every device, their configuration (applied at once), test print, drawer. */
export function DevicesScreen({ onExit }: { onExit: () => void }) {
  const { t } = useI18n();
  const { fail, flash, cashier, refreshState } = useSession();
  const [live, setLive] = useState<DevicesState | null>(null);
  const [draft, setDraft] = useState<DevicesConfig | null>(null);
  const [errors, setErrors] = useState<Array<{ path: string; message: string }>>([]);
  const [busy, setBusy] = useState(false);
  const manager = cashier?.role === 'manager';

  const load = useCallback(async () => {
    try {
      const s = await api.devices();
      setLive(s);
      setDraft((d) => d ?? s.config ?? null);
    } catch (e) {
      fail(e);
    }
  }, [fail]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [load]);

  const run = async (action: () => Promise<unknown>, done: MessageKey) => {
    setBusy(true);
    try {
      await action();
      flash('success', t(done));
      await load();
      void refreshState();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setErrors([]);
    try {
      const s = await api.saveDevices(draft);
      setLive(s);
      if (s.config) setDraft(s.config);
      flash('success', t('devices.saved'));
      void refreshState();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED' && Array.isArray(e.problem['errors'])) {
        setErrors(e.problem['errors'] as Array<{ path: string; message: string }>);
        flash('error', t('devices.invalid'), e.code);
      } else fail(e);
    } finally {
      setBusy(false);
    }
  };

  const p = live?.printer;
  const printerWord = !p
    ? ''
    : p.kind === 'none'
      ? t('devices.notConfigured')
      : p.coverOpen
        ? t('devices.coverOpen')
        : p.paperOut
          ? t('devices.paperOut')
          : !p.online
            ? t('devices.offline')
            : p.paperNearEnd
              ? t('devices.paperLow')
              : t('devices.ready');
  const printerOk = !!p && (p.kind === 'none' || (p.online && !p.coverOpen && !p.paperOut));
  const kindLabel = (k: string) => t(`devices.kind.${k}` as MessageKey);
  const set = (patch: Partial<DevicesConfig>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const errorAt = (prefix: string) => errors.filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`));

  return (
    <main className="page" data-testid="devices-screen">
      <div className="page-head">
        <h2>{t('devices.title')}</h2>
        <p>{t('devices.hint')}</p>
        {!manager && <p className="warn-text" data-testid="devices-manager-only">{t('devices.managerOnly')}</p>}
        {live?.overridden && live.overridden.length > 0 && <p className="warn-text">{t('devices.overridden', { what: live.overridden.join(', ') })}</p>}
        {live?.fileProblem && <p className="field-error">{live.fileProblem}</p>}
      </div>
      <div className="devices">
        <section className="devices-status" data-testid="devices-status">
          <h3>{t('devices.status')}</h3>
          <StatusCard title={t('devices.printer')} ok={printerOk} testId="status-printer" value={printerWord}>
            {p?.interface && <code>{p.interface}</code>}
            <span>
              {t('devices.pending')}: <strong data-testid="status-pending">{live?.pendingJobs ?? 0}</strong>
            </span>
            {p?.error && p.kind !== 'none' && <span className="muted">{p.error}</span>}
          </StatusCard>
          <StatusCard title={t('devices.drawer')} ok={!live?.drawer?.lastError} testId="status-drawer" value={live?.drawer ? kindLabel(live.drawer.kind) : '—'}>
            {live?.drawer?.open !== undefined && <span>{live.drawer.open ? t('devices.open') : t('devices.closed')}</span>}
            {live?.drawer?.lastError && <span className="muted">{t('devices.lastError')}: {live.drawer.lastError}</span>}
          </StatusCard>
          <StatusCard
            title={t('devices.scanner')}
            ok={live?.scanner.kind === 'none' || !!live?.scanner.connected}
            testId="status-scanner"
            value={live ? (live.scanner.kind === 'none' ? kindLabel('none') : live.scanner.connected ? t('devices.connected') : t('devices.disconnected')) : ''}
          >
            {live?.scanner.lastScan && (
              <span>
                {t('devices.lastScan')}: <code>{live.scanner.lastScan.data}</code>
              </span>
            )}
          </StatusCard>
          <StatusCard title={t('devices.display')} ok={!live?.display.lastError} testId="status-display" value={live ? kindLabel(live.display.kind === 'fixed' ? 'serial' : live.display.kind) : ''}>
            {live?.display.line1 !== undefined && (
              <pre className="pole" data-testid="status-pole">
                {(live.display.line1 ?? '').padEnd(20)}
                {'\n'}
                {(live.display.line2 ?? '').padEnd(20)}
              </pre>
            )}
          </StatusCard>
          <div className="device-actions">
            <button className="big" disabled={busy || !manager} onClick={() => void run(api.testPrint, 'devices.printed')} data-testid="devices-test-print">
              {t('devices.testPrint')}
            </button>
            <button className="big" disabled={busy || !manager} onClick={() => void run(api.openDrawer, 'devices.drawerOpened')} data-testid="devices-open-drawer">
              {t('devices.openDrawer')}
            </button>
          </div>
        </section>

        {draft && (
          <section className="devices-config" data-testid="devices-config">
            <h3>{t('devices.config')}</h3>
            <fieldset disabled={!manager || busy}>
              <legend>{t('devices.printer')}</legend>
              <Select label={t('devices.kind')} value={draft.printer.kind} options={PRINTER_KINDS.map((k) => [k, kindLabel(k)])} onChange={(k) => set({ printer: printerOf(k, draft.printer) })} testId="cfg-printer-kind" />
              {draft.printer.kind !== 'none' && (
                <>
                  <Text label={t('devices.interface')} value={draft.printer.interface} placeholder={t('devices.interfaceHint')} onChange={(v) => set({ printer: { ...(draft.printer as Exclude<PrinterConfig, { kind: 'none' }>), interface: v } })} testId="cfg-printer-interface" />
                  <Select
                    label={t('devices.columns')}
                    value={String(draft.printer.columns)}
                    options={[['48', t('devices.columns.48')], ['32', t('devices.columns.32')]]}
                    onChange={(v) => set({ printer: { ...(draft.printer as Exclude<PrinterConfig, { kind: 'none' }>), columns: v === '32' ? 32 : 48 } })}
                  />
                  {draft.printer.previewUrl && (
                    <p className="muted small">
                      {t('devices.previewUrl')}: <code>{draft.printer.previewUrl}</code>
                    </p>
                  )}
                </>
              )}
              <Errors list={errorAt('printer')} />
            </fieldset>

            <fieldset disabled={!manager || busy}>
              <legend>{t('devices.drawer')}</legend>
              <Select label={t('devices.kind')} value={draft.drawer.kind} options={DRAWER_KINDS.map((k) => [k, kindLabel(k)])} onChange={(k) => set({ drawer: drawerOf(k) })} testId="cfg-drawer-kind" />
              {draft.drawer.kind === 'printer-kick' && (
                <>
                  <Select label={t('devices.pin')} value={String(draft.drawer.pin)} options={[['2', 'Pin 2'], ['5', 'Pin 5']]} onChange={(v) => set({ drawer: { ...(draft.drawer as Extract<DrawerConfig, { kind: 'printer-kick' }>), pin: v === '5' ? 5 : 2 } })} />
                  <Num label={t('devices.pulseMs')} value={draft.drawer.pulseMs} onChange={(n) => set({ drawer: { ...(draft.drawer as Extract<DrawerConfig, { kind: 'printer-kick' }>), pulseMs: n } })} />
                </>
              )}
              {draft.drawer.kind === 'serial' && (
                <>
                  <Text label={t('devices.path')} value={draft.drawer.path} onChange={(v) => set({ drawer: { ...(draft.drawer as Extract<DrawerConfig, { kind: 'serial' }>), path: v } })} />
                  <Num label={t('devices.baud')} value={draft.drawer.baud} onChange={(n) => set({ drawer: { ...(draft.drawer as Extract<DrawerConfig, { kind: 'serial' }>), baud: n } })} />
                </>
              )}
              <Errors list={errorAt('drawer')} />
            </fieldset>

            <fieldset disabled={!manager || busy}>
              <legend>{t('devices.scanner')}</legend>
              <Select label={t('devices.kind')} value={draft.scanner.kind} options={SCANNER_KINDS.map((k) => [k, kindLabel(k)])} onChange={(k) => set({ scanner: scannerOf(k) })} testId="cfg-scanner-kind" />
              {draft.scanner.kind === 'serial' && (
                <>
                  <Text label={t('devices.path')} value={draft.scanner.path} onChange={(v) => set({ scanner: { ...(draft.scanner as Extract<ScannerConfig, { kind: 'serial' }>), path: v } })} />
                  <Num label={t('devices.baud')} value={draft.scanner.baud} onChange={(n) => set({ scanner: { ...(draft.scanner as Extract<ScannerConfig, { kind: 'serial' }>), baud: n } })} />
                  <Select
                    label={t('devices.suffix')}
                    value={draft.scanner.suffix}
                    options={SUFFIXES}
                    onChange={(v) => set({ scanner: { ...(draft.scanner as Extract<ScannerConfig, { kind: 'serial' }>), suffix: v as '\r' } })}
                  />
                </>
              )}
              {draft.scanner.kind === 'hid' && (
                <>
                  <Text label={t('devices.vendorId')} value={hex(draft.scanner.vendorId)} onChange={(v) => set({ scanner: { ...(draft.scanner as Extract<ScannerConfig, { kind: 'hid' }>), vendorId: parseInt(v || '0', 16) } })} />
                  <Text label={t('devices.productId')} value={hex(draft.scanner.productId)} onChange={(v) => set({ scanner: { ...(draft.scanner as Extract<ScannerConfig, { kind: 'hid' }>), productId: parseInt(v || '0', 16) } })} />
                </>
              )}
              <Errors list={errorAt('scanner')} />
            </fieldset>

            <fieldset disabled={!manager || busy}>
              <legend>{t('devices.display')}</legend>
              <Select label={t('devices.kind')} value={draft.display.kind} options={DISPLAY_KINDS.map((k) => [k, kindLabel(k)])} onChange={(k) => set({ display: displayOf(k) })} testId="cfg-display-kind" />
              {draft.display.kind === 'serial' && (
                <>
                  <Text label={t('devices.path')} value={draft.display.path} onChange={(v) => set({ display: { ...(draft.display as Extract<DisplayConfig, { kind: 'serial' }>), path: v } })} />
                  <Num label={t('devices.baud')} value={draft.display.baud} onChange={(n) => set({ display: { ...(draft.display as Extract<DisplayConfig, { kind: 'serial' }>), baud: n } })} />
                </>
              )}
              <Errors list={errorAt('display')} />
            </fieldset>
            {live?.file && (
              <p className="muted small">
                {t('devices.file')}: <code>{live.file}</code>
              </p>
            )}
          </section>
        )}
      </div>
      <div className="page-actions">
        <button className="big" onClick={onExit}>
          {t('action.back')}
        </button>
        <button className="primary big" disabled={!manager || busy || !draft} onClick={() => void save()} data-testid="devices-save">
          {t('devices.save')}
        </button>
      </div>
    </main>
  );
}

function StatusCard({ title, ok, value, testId, children }: { title: string; ok: boolean; value: string; testId: string; children?: ReactNode }) {
  return (
    <div className={`device-card ${ok ? 'ok' : 'bad'}`} data-testid={testId}>
      <div className="device-card-head">
        <span>{title}</span>
        <strong>{value}</strong>
      </div>
      <div className="device-card-body">{children}</div>
    </div>
  );
}

function Select({ label, value, options, onChange, testId }: { label: string; value: string; options: ReadonlyArray<readonly [string, string]>; onChange: (v: string) => void; testId?: string }) {
  return (
    <label className="cfg-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

function Text({ label, value, onChange, placeholder, testId }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; testId?: string }) {
  return (
    <label className="cfg-field">
      <span>{label}</span>
      <input value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} data-testid={testId} spellCheck={false} />
    </label>
  );
}

function Num({ label, value, onChange }: { label: string; value: number; onChange: (n: number) => void }) {
  return (
    <label className="cfg-field">
      <span>{label}</span>
      <input inputMode="numeric" value={Number.isFinite(value) ? String(value) : ''} onChange={(e) => onChange(Number(e.target.value.replace(/\D/g, '')))} />
    </label>
  );
}

function Errors({ list }: { list: Array<{ path: string; message: string }> }) {
  if (list.length === 0) return null;
  return (
    <ul className="field-error" data-testid="cfg-errors">
      {list.map((e) => (
        <li key={e.path + e.message}>
          <code>{e.path}</code>: {e.message}
        </li>
      ))}
    </ul>
  );
}
