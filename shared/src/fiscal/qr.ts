/**
 * AEAT "QR tributario" URL (ValidarQR), per the AEAT QR specification: base URL, then the parameters
 * nif, numserie, fecha, importe in that order, each value percent-encoded as UTF-8 (encodeURIComponent),
 * so the URL is pure ASCII. Print it under "QR tributario:" with error correction M.
 *
 * Amount format: for our own receipts we emit `fixed2` ("241.40", "-0.05"), the very string that went into
 * the record's ImporteTotal and huella, so the QR and the registered record agree character for character.
 * `minimal` ("241.4", "241") exists to reproduce the AEAT's own example, which drops trailing zeros.
 */
import { formatAeatAmount } from './record';

export const AEAT_QR_BASE_URLS = {
  test: 'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR',
  production: 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR',
  /** For systems not in VERI*FACTU mode (records kept locally, not sent). */
  productionNoVerifactu: 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu',
} as const;

export type AeatQrEnvironment = keyof typeof AEAT_QR_BASE_URLS;
export type QrAmountFormat = 'fixed2' | 'minimal';

export interface ValidarQrInput {
  environment: AeatQrEnvironment;
  /** Issuer NIF. */
  nif: string;
  /** NumSerieFactura, e.g. "M00101-26T/000123". */
  invoiceNumber: string;
  /** dd-mm-yyyy. */
  issueDate: string;
  /** ImporteTotal in integer cents. */
  totalCents: number;
  /** Default 'fixed2' (what we print on our receipts). */
  amountFormat?: QrAmountFormat;
}

/** Amount for the QR: `fixed2` → "241.40"; `minimal` → "241.4" / "241" / "-0.05" (trailing zeros dropped). */
export function formatQrAmount(cents: number, format: QrAmountFormat = 'fixed2'): string {
  const fixed = formatAeatAmount(cents);
  if (format === 'fixed2') return fixed;
  return fixed.replace(/\.?0+$/, '');
}

export function buildFiscalQrUrl(input: ValidarQrInput): string {
  const params: [string, string][] = [
    ['nif', input.nif.trim()],
    ['numserie', input.invoiceNumber.trim()],
    ['fecha', input.issueDate.trim()],
    ['importe', formatQrAmount(input.totalCents, input.amountFormat ?? 'fixed2')],
  ];
  const query = params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `${AEAT_QR_BASE_URLS[input.environment]}?${query}`;
}
