/** A score in hundredths as the pages show it: 8909 → "89,09" (es) / "89.09" (en). */
export const scoreText = (cp: number | null, locale: string) =>
  cp === null ? '—' : (cp / 100).toLocaleString(locale === 'es' ? 'es-ES' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const scoreColor = (cp: number | null) => (cp === null ? 'gray' : cp >= 8000 ? 'green' : cp >= 6000 ? 'yellow' : 'red');
