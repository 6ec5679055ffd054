/**
 * Spanish first, English beside it. Each module keeps its own message file (`<module>/messages.ts`, made with
 * `defineMessages`) and gets a typed `t` for its keys plus the shell's common keys (`app/messages.ts`) from
 * `useT(messages)`. The locale is kept in localStorage and set on <html lang>.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { translate, type Locale, type Messages } from '@tpv/shared/i18n';
import { common, type CommonKey } from './messages';

export type { Locale };
export type TParams = Record<string, string | number>;
export type T<K extends string> = (key: K | CommonKey, params?: TParams) => string;

const STORE = 'tpv.bo.locale';
const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'es', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(STORE) === 'en' ? 'en' : 'es'));
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORE, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

/** A module's dictionaries: every key in Spanish, the same keys in English (the compiler checks both). */
export function defineMessages<K extends string>(es: Record<K, string>, en: NoInfer<Record<K, string>>): Messages<K> {
  return { es, en };
}

/** Looks a key up in the module's messages, then in the common ones; `{name}` placeholders filled from params. */
export function lookup<K extends string>(messages: Messages<K> | null, locale: Locale, key: K | CommonKey, params?: TParams): string {
  if (messages && (key in messages.es || key in messages.en)) return translate(messages, locale, key as K, params);
  return translate(common, locale, key as CommonKey, params);
}

export function useLocale() {
  return useContext(LocaleContext);
}

/** `const { t, locale } = useT(messages)` in a module page; `useT()` for the common keys only. */
export function useT<K extends string = never>(messages?: Messages<K>) {
  const { locale, setLocale } = useContext(LocaleContext);
  const t = useCallback<T<K>>((key, params) => lookup(messages ?? null, locale, key, params), [messages, locale]);
  return { t, locale, setLocale };
}
