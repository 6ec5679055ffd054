import { createContext, useContext, useState, type ReactNode } from 'react';
import { translate, type Locale } from '@tpv/shared/i18n';
import { messages, type MessageKey } from './messages';

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'es', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem('tpv.bo.locale') === 'en' ? 'en' : 'es'));
  const setLocale = (l: Locale) => {
    localStorage.setItem('tpv.bo.locale', l);
    document.documentElement.lang = l;
    setLocaleState(l);
  };
  return <LocaleContext.Provider value={{ locale, setLocale }}>{children}</LocaleContext.Provider>;
}

export function useI18n() {
  const { locale, setLocale } = useContext(LocaleContext);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(messages, locale, key, params);
  return { locale, setLocale, t };
}
