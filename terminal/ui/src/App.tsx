import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { api, cartFromSocket, cartOrder, getToken, mergeStatus, needsSupervisor, onUnauthorized, setToken, type Cart, type Cashier, type CheckoutResult, type TerminalState, type TillNotice, type TillTask } from './api';
import { Banners } from './components/Banners';
import { SupervisorPrompt } from './components/SupervisorPrompt';
import { TopBar, type Screen } from './components/TopBar';
import { NoticesDialog } from './components/NoticesDialog';
import { TasksDialog } from './components/TasksDialog';
import { useI18n } from './i18n';
import { attachKeyboardWedge } from './scanner';
import { CashMovementScreen } from './screens/CashMovementScreen';
import { CloseSessionScreen } from './screens/CloseSessionScreen';
import { LockScreen } from './screens/LockScreen';
import { OpenSessionScreen } from './screens/OpenSessionScreen';
import { ReturnsScreen } from './screens/ReturnsScreen';
import { SubstitutionScreen } from './screens/SubstitutionScreen';
import { SaleDoneScreen } from './screens/SaleDoneScreen';
import { SellScreen } from './screens/SellScreen';
import { XReportScreen } from './screens/XReportScreen';
import { DevicesScreen } from './screens/DevicesScreen';
import { LastReceiptsScreen } from './screens/LastReceiptsScreen';
import { StockScreen } from './screens/StockScreen';
import { IncidentScreen } from './screens/IncidentScreen';
import { TicketListScreen } from './screens/TicketListScreen';
import { ApiError } from './api';
import { SessionProvider, useErrorText, type Flash, type Session } from './session';

interface Prompt {
  reason: string;
  error: string | null;
  busy: boolean;
  submit: (pin: string) => void;
  cancel: () => void;
}

const FLASH_MS = { error: 10_000, info: 5_000, success: 4_000 } as const;

/**
 * Keyboard-wedge tuning for this till, from localStorage `tpv.scanner` (JSON {minLength, maxGapMs}): slow
 * Bluetooth scanners need a longer gap. Defaults: 6 characters, 50 ms.
 */
function scannerSettings(): { minLength?: number; maxGapMs?: number } {
  try {
    const raw = JSON.parse(localStorage.getItem('tpv.scanner') ?? '{}') as { minLength?: unknown; maxGapMs?: unknown };
    const ok = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;
    return { ...(ok(raw.minLength, 64) ? { minLength: raw.minLength as number } : {}), ...(ok(raw.maxGapMs, 1000) ? { maxGapMs: raw.maxGapMs as number } : {}) };
  } catch {
    return {};
  }
}

export function App() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const errorTextRef = useRef(errorText);
  errorTextRef.current = errorText;

  const [state, setState] = useState<TerminalState | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [cashier, setCashier] = useState<Cashier | null>(null);
  const [booting, setBooting] = useState(true);
  const [cart, setCartState] = useState<Cart | null>(null);
  const lastCartOrder = useRef(0);
  /** Applies a cart unless a newer one (issued later) is already on screen. */
  const setCart = useCallback((c: Cart | null) => {
    const order = c ? cartOrder(c) : 0;
    if (order !== 0 && order < lastCartOrder.current) return;
    lastCartOrder.current = Math.max(lastCartOrder.current, order);
    setCartState(c);
  }, []);
  const [screen, setScreen] = useState<Screen>('sell');
  const [sold, setSold] = useState<CheckoutResult | null>(null);
  const [flashes, setFlashes] = useState<Flash[]>([]);
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  // HQ's notices for the person logged in (issue 16): polled while someone is logged in (they arrive down the feed).
  const [notices, setNotices] = useState<TillNotice[]>([]);
  const [noticesOpen, setNoticesOpen] = useState(false);
  // The store's tasks from HQ (issue 16), polled with the notices.
  const [tasks, setTasks] = useState<TillTask[]>([]);
  const [tasksOpen, setTasksOpen] = useState(false);
  const scanHandler = useRef<((code: string) => void) | null>(null);
  const cashierRef = useRef<Cashier | null>(null);
  cashierRef.current = cashier;
  const nextFlash = useRef(1);

  /** Drops error banners about earlier scans (a good scan answers them). */
  const clearScanErrors = useCallback(() => setFlashes((fs) => fs.filter((f) => !f.code?.startsWith('BARCODE_'))), []);
  const flash = useCallback((kind: Flash['kind'], text: string, code?: string) => {
    const id = nextFlash.current++;
    setFlashes((fs) => [...fs.filter((f) => !(code && f.code === code)).slice(-2), { id, kind, text, code }]);
    setTimeout(() => setFlashes((fs) => fs.filter((f) => f.id !== id)), FLASH_MS[kind]);
  }, []);
  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 0) setUnreachable(true);
      flash('error', errorTextRef.current(e), e instanceof ApiError ? e.code : undefined);
    },
    [flash],
  );

  const refreshState = useCallback(async () => {
    try {
      const s = await api.state();
      setState((prev) => ({ ...s, identity: Object.keys(s.identity).length ? s.identity : (prev?.identity ?? {}) }));
      setUnreachable(false);
      return s;
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) setUnreachable(true);
      return null;
    }
  }, []);

  const toLock = useCallback(() => {
    setToken(null);
    setCashier(null);
    setCart(null);
    setSold(null);
    setScreen('sell');
  }, [setCart]);

  // Boot: a token kept from before a reload is still good if the service says who it belongs to.
  useEffect(() => {
    onUnauthorized(toLock);
    void refreshState().then((s) => {
      if (s?.cashier && !s.locked && getToken()) setCashier(s.cashier);
      else setToken(null);
      setBooting(false);
    });
    const timer = setInterval(() => void refreshState(), 10_000);
    return () => {
      clearInterval(timer);
      onUnauthorized(null);
    };
  }, [refreshState, toLock]);

  // Live updates while someone is logged in: cart, device/sync status, scans from serial/HID scanners.
  useEffect(() => {
    if (!cashier) return;
    const socket = io({ auth: { token: getToken() }, transports: ['websocket', 'polling'] });
    socket.on('cart', (c: unknown) => setCart(cartFromSocket(c)));
    socket.on('status', (s: unknown) => setState((prev) => (prev ? mergeStatus(prev, s) : prev)));
    // The sync client's own status (online/offline, pending, revoked) as it changes.
    socket.on('sync:status', (s: unknown) => setState((prev) => (prev ? mergeStatus(prev, { sync: s }) : prev)));
    socket.on('scan', (s: { data?: string } | string) => dispatchScan(typeof s === 'string' ? s : (s.data ?? '')));
    return () => {
      socket.disconnect();
    };
  }, [cashier]);

  const refreshNotices = useCallback(async () => {
    if (!getToken()) return;
    try {
      const [n, ts] = await Promise.all([api.notices(), api.tasks()]);
      // Unchanged lists keep their identity, so the poll re-renders nothing: a till re-rendered every 5 s lost
      // keyboard-wedge scans typed during the render on a loaded machine (characters more than 50 ms apart).
      setNotices((prev) => (JSON.stringify(prev) === JSON.stringify(n) ? prev : n));
      setTasks((prev) => (JSON.stringify(prev) === JSON.stringify(ts) ? prev : ts));
    } catch {
      // Locked or the service away: the list stays as it was; the next poll tries again.
    }
  }, []);
  useEffect(() => {
    if (!cashier) {
      setNotices([]);
      setNoticesOpen(false);
      setTasks([]);
      setTasksOpen(false);
      return;
    }
    void refreshNotices();
    const timer = setInterval(() => void refreshNotices(), 5_000);
    return () => clearInterval(timer);
  }, [cashier, refreshNotices]);

  const dispatchScan = (code: string) => {
    const c = code.trim();
    if (!c || !cashierRef.current) return;
    if (scanHandler.current) scanHandler.current(c);
  };
  const dispatchRef = useRef(dispatchScan);
  dispatchRef.current = dispatchScan;
  useEffect(() => attachKeyboardWedge(window, { ...scannerSettings(), onScan: (code) => dispatchRef.current(code) }), []);

  const withSupervisor = useCallback(
    <T,>(action: (supervisorPin?: string) => Promise<T>): Promise<T | undefined> =>
      new Promise<T | undefined>((resolve) => {
        const finish = (v: T | undefined) => {
          setPrompt(null);
          resolve(v);
        };
        action().then(resolve, (first: unknown) => {
          if (!needsSupervisor(first)) {
            fail(first);
            resolve(undefined);
            return;
          }
          const submit = (pin: string) => {
            setPrompt((p) => (p ? { ...p, busy: true, error: null } : p));
            action(pin).then(finish, (e: unknown) => {
              if (needsSupervisor(e) || (e instanceof ApiError && e.status === 401)) {
                setPrompt((p) => (p ? { ...p, busy: false, error: errorTextRef.current(e) } : p));
              } else {
                fail(e);
                finish(undefined);
              }
            });
          };
          setPrompt({ reason: errorTextRef.current(first), error: null, busy: false, submit, cancel: () => finish(undefined) });
        });
      }),
    [fail],
  );

  const session: Session = useMemo(
    () => ({
      state,
      cashier,
      cart,
      setCart,
      refreshState,
      fail,
      flash,
      withSupervisor,
      setScanHandler: (h) => {
        scanHandler.current = h;
      },
      clearScanErrors,
      lock: async () => {
        await api.lock().catch(() => undefined);
        toLock();
        await refreshState();
      },
      logout: async () => {
        await api.logout().catch(() => undefined);
        toLock();
        await refreshState();
      },
    }),
    [state, cashier, cart, refreshState, fail, flash, withSupervisor, toLock, clearScanErrors],
  );

  const loggedIn = async (c: Cashier) => {
    await refreshState();
    setScreen('sell');
    setCashier(c);
  };

  const hasSession = !!state?.cashSession;
  let body;
  if (booting) body = <main className="page"><p>{t('status.loading')}</p></main>;
  else if (!cashier) body = <LockScreen state={state} onLoggedIn={(c) => void loggedIn(c)} />;
  else if (screen === 'close')
    body = (
      <CloseSessionScreen
        onExit={() => setScreen('sell')}
        onClosed={() => void refreshState()}
        onFinished={() => void session.logout()}
      />
    );
  // Last receipts and device settings work with the till closed too (set up the printer before opening).
  else if (screen === 'receipts') body = <LastReceiptsScreen onExit={() => setScreen('sell')} onDevices={cashier.role === 'manager' ? () => setScreen('devices') : undefined} />;
  else if (screen === 'devices') body = <DevicesScreen onExit={() => setScreen('sell')} />;
  // Receiving, counting and asking for goods need no open till.
  else if (screen === 'stock') body = <StockScreen onExit={() => setScreen('sell')} />;
  // Reporting an incident needs no open till either (issue 17).
  else if (screen === 'incident') body = <IncidentScreen onExit={() => setScreen('sell')} />;
  else if (!hasSession) body = <OpenSessionScreen onOpened={() => void refreshState().then(() => setScreen('sell'))} />;
  else if (screen === 'done' && sold) body = <SaleDoneScreen result={sold} onNext={() => (setSold(null), setScreen('sell'))} />;
  else if (screen === 'returns') body = <ReturnsScreen onExit={() => setScreen('sell')} />;
  else if (screen === 'tickets') body = <TicketListScreen onExit={() => setScreen('sell')} />;
  else if (screen === 'invoice') body = <SubstitutionScreen onExit={() => setScreen('sell')} />;
  else if (screen === 'cash') body = <CashMovementScreen onExit={() => setScreen('sell')} />;
  else if (screen === 'x') body = <XReportScreen onExit={() => setScreen('sell')} />;

  else body = <SellScreen onSold={(r) => (setSold(r), setScreen('done'))} />;

  return (
    <SessionProvider value={session}>
      <div className="app">
        <TopBar
          state={state}
          cashier={cashier}
          screen={screen}
          menu={!!cashier && hasSession}
          onNavigate={(s) => {
            setFlashes([]);
            setScreen(s);
          }}
          onLock={() => void session.lock()}
          noticesUnread={notices.filter((n) => !n.readAt).length}
          onNotices={() => (setNoticesOpen(true), void refreshNotices())}
          tasksOpen={tasks.filter((x) => x.status !== 'done').length}
          tasksOverdue={tasks.filter((x) => x.status === 'overdue').length}
          onTasks={() => (setTasksOpen(true), void refreshNotices())}
        />
        <Banners state={state} unreachable={unreachable} flashes={flashes} onDismiss={(id) => setFlashes((fs) => fs.filter((f) => f.id !== id))} />
        {body}
        {noticesOpen && cashier && (
          <NoticesDialog
            notices={notices}
            onClose={() => setNoticesOpen(false)}
            onRead={async (id) => {
              try {
                const read = await api.readNotice(id);
                setNotices((ns) => ns.map((n) => (n.id === id ? read : n)));
              } catch (e) {
                fail(e);
              }
            }}
          />
        )}
        {tasksOpen && cashier && (
          <TasksDialog
            tasks={tasks}
            onClose={() => setTasksOpen(false)}
            onCheck={async (id, no) => {
              try {
                const done = await api.checkTask(id, no);
                setTasks((ts) => ts.map((x) => (x.id === id ? done : x)));
              } catch (e) {
                fail(e);
              }
            }}
          />
        )}
        {prompt && <SupervisorPrompt reason={prompt.reason} error={prompt.error} busy={prompt.busy} onSubmit={prompt.submit} onCancel={prompt.cancel} />}
      </div>
    </SessionProvider>
  );
}
