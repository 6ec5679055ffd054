/**
 * Tiny message catalogue for the UIs: Spanish first, English beside it. Pure lookup and `{name}`
 * interpolation; each UI holds its own dictionaries and a React context around `translate`.
 */
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];
export type Messages<K extends string> = Record<Locale, Record<K, string>>;

export function translate<K extends string>(
  messages: Messages<K>,
  locale: Locale,
  key: K,
  params?: Readonly<Record<string, string | number>>,
): string {
  const template = messages[locale][key] ?? messages.es[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
