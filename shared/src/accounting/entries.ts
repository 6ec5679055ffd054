/**
 * Journal entries (asientos) as pure rules: an entry balances to the cent, each line is a debit or a credit
 * of a positive whole number of cents on one account, and periods are calendar months of a fiscal year. The
 * back office writes entries only after `checkEntry` accepted them; the property tests lean on the same rules.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';

/** A line before its account is known: a fixed account, or a counterparty whose sub-account the server finds or opens. */
export type LineAccount =
  | { account: string }
  | {
      /** 430 customers, 400 suppliers, 410 service creditors. */
      group: '430' | '400' | '410';
      counterparty: { kind: 'company' | 'customer' | 'supplier' | 'other'; id: string; name: string; nif?: string | null };
    };

export type DraftLine = LineAccount & {
  debitCents: number;
  creditCents: number;
  /** Analytic dimension: the store the amount belongs to (null: the company as a whole). */
  storeId?: string | null;
  description?: string | null;
};

export interface JournalLine {
  account: string;
  debitCents: number;
  creditCents: number;
  storeId?: string | null;
  description?: string | null;
}

export type EntryErrorCode = 'ENTRY_UNBALANCED' | 'ENTRY_LINE_INVALID' | 'ENTRY_TOO_SHORT' | 'ENTRY_EMPTY';
export interface EntryError extends DomainError<EntryErrorCode> {
  readonly errors: ReadonlyArray<{ path: string; message: string }>;
}

const mistake = (code: EntryErrorCode, message: string, errors: Array<{ path: string; message: string }>): EntryError => ({ ...domainError(code, message), errors });

/**
 * Accepts an entry's lines when each is a debit or a credit (never both, never negative) in whole cents, there
 * are at least two, and the debits equal the credits. The errors name the line (`lines.3.debitCents`).
 */
export function checkEntry(lines: ReadonlyArray<Pick<JournalLine, 'debitCents' | 'creditCents'> & Partial<Pick<JournalLine, 'account'>>>): Result<{ totalCents: number }, EntryError> {
  const errors: Array<{ path: string; message: string }> = [];
  lines.forEach((l, i) => {
    const d = l.debitCents;
    const c = l.creditCents;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c) || d < 0 || c < 0) errors.push({ path: `lines.${i}.debitCents`, message: 'amounts are whole cents, never negative' });
    else if ((d > 0) === (c > 0)) errors.push({ path: `lines.${i}.debitCents`, message: d > 0 ? 'a line is a debit or a credit, not both' : 'a line needs an amount' });
    if (l.account !== undefined && !/^\d{1,12}$/.test(l.account)) errors.push({ path: `lines.${i}.account`, message: 'an account code is digits only' });
  });
  if (errors.length) return err(mistake('ENTRY_LINE_INVALID', 'Some lines are not valid', errors));
  if (lines.length < 2) return err(mistake('ENTRY_TOO_SHORT', 'An entry needs at least two lines', [{ path: 'lines', message: 'at least two lines' }]));
  const debit = lines.reduce((s, l) => s + l.debitCents, 0);
  const credit = lines.reduce((s, l) => s + l.creditCents, 0);
  if (debit !== credit) {
    const diff = debit - credit;
    return err(
      mistake('ENTRY_UNBALANCED', `Debits and credits differ by ${(Math.abs(diff) / 100).toFixed(2)} € (debit ${(debit / 100).toFixed(2)}, credit ${(credit / 100).toFixed(2)})`, [
        { path: 'lines', message: `debit ${debit} ≠ credit ${credit} cents` },
      ]),
    );
  }
  if (debit === 0) return err(mistake('ENTRY_EMPTY', 'An entry of zero moves nothing', [{ path: 'lines', message: 'all amounts are zero' }]));
  return ok({ totalCents: debit });
}

/**
 * One line per account, store and side, in a stable order (debits first, then by account) — what a daily
 * sales entry built from many tickets shows. Lines with nothing left after netting are dropped; a line whose
 * debit and credit net out to one side keeps only that side.
 */
export function mergeLines<L extends JournalLine>(lines: readonly L[]): JournalLine[] {
  const by = new Map<string, JournalLine>();
  for (const l of lines) {
    const key = `${l.account}|${l.storeId ?? ''}|${l.description ?? ''}`;
    const cur = by.get(key) ?? { account: l.account, debitCents: 0, creditCents: 0, storeId: l.storeId ?? null, description: l.description ?? null };
    cur.debitCents += l.debitCents;
    cur.creditCents += l.creditCents;
    by.set(key, cur);
  }
  const out: JournalLine[] = [];
  for (const l of by.values()) {
    const net = l.debitCents - l.creditCents;
    if (net === 0) continue;
    out.push({ ...l, debitCents: net > 0 ? net : 0, creditCents: net < 0 ? -net : 0 });
  }
  return out.sort((a, b) => Number(b.debitCents > 0) - Number(a.debitCents > 0) || a.account.localeCompare(b.account) || (a.storeId ?? '').localeCompare(b.storeId ?? ''));
}

/** A debit (positive) or credit (negative) amount as a line; zero gives no line. */
export function signedLine<A extends LineAccount>(account: A, signedCents: number, extra: { storeId?: string | null; description?: string | null } = {}): Array<A & { debitCents: number; creditCents: number; storeId?: string | null; description?: string | null }> {
  if (signedCents === 0) return [];
  return [{ ...account, debitCents: signedCents > 0 ? signedCents : 0, creditCents: signedCents < 0 ? -signedCents : 0, ...extra }];
}

/** The reverse of an entry's lines: every debit a credit and back (a contra entry, asiento de anulación). */
export const reversedLines = <L extends JournalLine>(lines: readonly L[]): L[] => lines.map((l) => ({ ...l, debitCents: l.creditCents, creditCents: l.debitCents }));

// --- Periods ---------------------------------------------------------------------------------------------

/** `yyyy-mm` of a `yyyy-mm-dd` date: the month is the accounting period. */
export const periodOf = (isoDate: string): string => isoDate.slice(0, 7);

export function nextPeriod(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export function previousPeriod(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
export const firstDayOf = (period: string): string => `${period}-01`;
export function lastDayOf(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
export const isPeriod = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/**
 * Where a document dated `date` posts when some periods are locked: its own period when open, else the first
 * open period after it, on that period's first day (the document date is kept on the entry). A manual entry
 * never moves: the caller refuses it instead.
 */
export function postingDate(date: string, isLocked: (period: string) => boolean): { date: string; moved: boolean } {
  let p = periodOf(date);
  if (!isLocked(p)) return { date, moved: false };
  for (let i = 0; i < 600 && isLocked(p); i++) p = nextPeriod(p);
  if (isLocked(p)) throw new Error(`no open period after ${date}`);
  return { date: firstDayOf(p), moved: true };
}
