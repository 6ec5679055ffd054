/** Numbers, money and dates in the user's language: `const f = useFormat(); f.money(1250) → "12,50 €"`. */
import { formatMoney } from '@tpv/shared/money';
import { useLocale } from '../app/i18n';

export function useFormat() {
  const { locale } = useLocale();
  return {
    money: (cents: number) => formatMoney(cents, locale),
    number: (n: number, digits?: number) => n.toLocaleString(locale, digits === undefined ? undefined : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    /** A percentage given in basis points (2100 → "21 %"). */
    percentBp: (bp: number) => `${(bp / 100).toLocaleString(locale)} %`,
    date: (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(locale) : '—'),
    dateTime: (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(locale) : '—'),
  };
}
