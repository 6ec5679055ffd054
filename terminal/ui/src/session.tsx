/**
 * What every screen shares: the terminal state, the logged-in cashier, the current cart, error banners, the
 * scan routing (keyboard wedge and socket `scan`), and the supervisor-PIN flow for 403 answers.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { ApiError, type Cart, type Cashier, type TerminalState } from './api';
import { useI18n } from './i18n';
import { messages, type MessageKey } from './messages';

export interface Flash { id: number; kind: 'error' | 'info' | 'success'; text: string; code?: string | undefined }

export interface Session {
  state: TerminalState | null;
  cashier: Cashier | null;
  cart: Cart | null;
  setCart(cart: Cart): void;
  refreshState(): Promise<TerminalState | null>;
  /** Shows an error banner for any failure (ApiError codes are translated when the catalogue knows them). */
  fail(e: unknown): void;
  flash(kind: Flash['kind'], text: string, code?: string): void;
  /** Runs an action; when the API asks for a supervisor, prompts for their PIN and retries with it. */
  withSupervisor<T>(action: (supervisorPin?: string) => Promise<T>): Promise<T | undefined>;
  /** The screen that receives scans (null: scans go to the cart). */
  setScanHandler(handler: ((code: string) => void) | null): void;
  /** Removes banners about earlier bad scans. */
  clearScanErrors(): void;
  lock(): Promise<void>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}

/** Registers the screen's scan handler while it is mounted. */
export function useScanHandler(handler: (code: string) => void): void {
  const { setScanHandler } = useSession();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    setScanHandler((code) => ref.current(code));
    return () => setScanHandler(null);
  }, [setScanHandler]);
}

export function SessionProvider({ value, children }: { value: Session; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The cashier-facing text of an error: the catalogue's `error.<CODE>` if there is one, else the API detail. */
export function useErrorText(): (e: unknown) => string {
  const { t } = useI18n();
  return (e: unknown) => {
    if (e instanceof ApiError) {
      const key = `error.${e.code}` as MessageKey;
      if (key in messages.es) return t(key, { detail: e.detail ?? '' });
      return e.detail ? `${e.title}: ${e.detail}` : e.title || e.code;
    }
    return t('error.unexpected', { detail: e instanceof Error ? e.message : String(e) });
  };
}
