/**
 * The PGC PYMES statements as pure layouts (RD 1515/2007, modelos abreviados): which accounts feed which line of
 * the profit and loss account (cuenta de pérdidas y ganancias) and of the balance sheet (balance), and the
 * trial-balance arithmetic. Accounts are matched by their longest listed prefix, so `7954` (provisions released)
 * beats `75`. No I/O: the books module reads the balances (acc_balance) and hands them here.
 *
 * Signs: a P&L line's amount is credit − debit (income positive, an expense negative — shown "(−)" as in the
 * model), so the result is the plain sum of the lines. A balance-sheet asset line is debit − credit; an equity
 * or liability line is credit − debit. Mixed accounts are placed by the sign of their balance (a bank account
 * in overdraft is a short-term bank debt; a customer in credit is another creditor; a 47x account by whether
 * the treasury owes or is owed).
 */

export interface AccountSums {
  account: string;
  debitCents: number;
  creditCents: number;
}

// ── Profit and loss ──────────────────────────────────────────────────────────────────────────────────────

export interface PnlLineDef {
  id: string;
  /** The model's numbering: `1`…`18` for items, `A`…`D` for results. */
  ref: string;
  es: string;
  en: string;
  /** Items: the account prefixes feeding it. Results: the refs summed. */
  prefixes?: readonly string[];
  sums?: readonly string[];
}

export const PNL_LINES: readonly PnlLineDef[] = [
  { id: 'revenue', ref: '1', es: 'Importe neto de la cifra de negocios', en: 'Revenue', prefixes: ['70'] },
  { id: 'inventory_change_products', ref: '2', es: 'Variación de existencias de productos terminados y en curso de fabricación', en: 'Change in inventories of finished goods', prefixes: ['71'] },
  { id: 'own_work', ref: '3', es: 'Trabajos realizados por la empresa para su activo', en: 'Own work capitalised', prefixes: ['73'] },
  { id: 'supplies', ref: '4', es: 'Aprovisionamientos', en: 'Supplies', prefixes: ['60', '61', '6931', '6932', '6933', '7931', '7932', '7933'] },
  { id: 'other_operating_income', ref: '5', es: 'Otros ingresos de explotación', en: 'Other operating income', prefixes: ['74', '75'] },
  { id: 'staff', ref: '6', es: 'Gastos de personal', en: 'Staff costs', prefixes: ['64', '7950', '7957'] },
  { id: 'other_operating_expenses', ref: '7', es: 'Otros gastos de explotación', en: 'Other operating expenses', prefixes: ['62', '631', '634', '636', '639', '65', '694', '695', '794', '7954'] },
  { id: 'depreciation', ref: '8', es: 'Amortización del inmovilizado', en: 'Depreciation and amortisation', prefixes: ['68'] },
  { id: 'grants', ref: '9', es: 'Imputación de subvenciones de inmovilizado no financiero y otras', en: 'Capital grants taken to income', prefixes: ['746'] },
  { id: 'provisions_released', ref: '10', es: 'Excesos de provisiones', en: 'Provisions released', prefixes: ['7951', '7952', '7955', '7956'] },
  { id: 'fixed_asset_disposals', ref: '11', es: 'Deterioro y resultado por enajenaciones del inmovilizado', en: 'Impairment and disposals of fixed assets', prefixes: ['670', '671', '672', '690', '691', '692', '770', '771', '772', '790', '791', '792'] },
  { id: 'other_results', ref: '12', es: 'Otros resultados', en: 'Other results', prefixes: ['678', '778'] },
  { id: 'operating_result', ref: 'A', es: 'A) RESULTADO DE EXPLOTACIÓN', en: 'A) OPERATING RESULT', sums: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] },
  { id: 'finance_income', ref: '13', es: 'Ingresos financieros', en: 'Finance income', prefixes: ['760', '761', '762', '767', '769'] },
  { id: 'finance_costs', ref: '14', es: 'Gastos financieros', en: 'Finance costs', prefixes: ['660', '661', '662', '664', '665', '669'] },
  { id: 'fair_value', ref: '15', es: 'Variación de valor razonable en instrumentos financieros', en: 'Change in fair value of financial instruments', prefixes: ['663', '763'] },
  { id: 'exchange_differences', ref: '16', es: 'Diferencias de cambio', en: 'Exchange differences', prefixes: ['668', '768'] },
  { id: 'financial_disposals', ref: '17', es: 'Deterioro y resultado por enajenaciones de instrumentos financieros', en: 'Impairment and disposals of financial instruments', prefixes: ['666', '667', '673', '675', '696', '697', '698', '699', '766', '773', '775', '796', '797', '798', '799'] },
  { id: 'financial_result', ref: 'B', es: 'B) RESULTADO FINANCIERO', en: 'B) FINANCIAL RESULT', sums: ['13', '14', '15', '16', '17'] },
  { id: 'result_before_tax', ref: 'C', es: 'C) RESULTADO ANTES DE IMPUESTOS', en: 'C) RESULT BEFORE TAX', sums: ['A', 'B'] },
  { id: 'income_tax', ref: '18', es: 'Impuestos sobre beneficios', en: 'Income tax', prefixes: ['630', '633', '638'] },
  { id: 'result', ref: 'D', es: 'D) RESULTADO DEL EJERCICIO', en: 'D) RESULT FOR THE YEAR', sums: ['C', '18'] },
];

/** Whether an account is a P&L one (groups 6 and 7). */
export const isPnlAccount = (account: string) => account[0] === '6' || account[0] === '7';

const longestPrefix = <T>(account: string, table: ReadonlyArray<readonly [string, T]>): T | undefined => {
  let best: T | undefined;
  let len = 0;
  for (const [p, v] of table) if (p.length > len && account.startsWith(p)) [best, len] = [v, p.length];
  return best;
};

const PNL_PREFIXES: ReadonlyArray<readonly [string, string]> = PNL_LINES.flatMap((l) => (l.prefixes ?? []).map((p) => [p, l.ref] as const));

/** The P&L item of a group 6/7 account; an account no item lists falls in 7 (expense) or 5 (income), so nothing is lost. */
export function pnlLineOf(account: string): string {
  if (!isPnlAccount(account)) throw new Error(`not a P&L account: ${account}`);
  return longestPrefix(account, PNL_PREFIXES) ?? (account[0] === '6' ? '7' : '5');
}

export interface StatementLine {
  id: string;
  ref: string;
  es: string;
  en: string;
  /** An item (accounts feed it), a subtotal, or a heading/result. */
  kind: 'item' | 'total' | 'heading';
  level: number;
  cents: number;
  /** The accounts that fed it, with their signed amounts (item lines only). */
  accounts: Array<{ account: string; cents: number }>;
}

/** The P&L from the debits and credits of each account over the period (any non-6/7 account ignored). */
export function profitAndLoss(sums: readonly AccountSums[]): StatementLine[] {
  const byRef = new Map<string, StatementLine>();
  const out: StatementLine[] = [];
  for (const def of PNL_LINES) {
    const line: StatementLine = { id: def.id, ref: def.ref, es: def.es, en: def.en, kind: def.sums ? 'total' : 'item', level: def.sums ? 0 : 1, cents: 0, accounts: [] };
    byRef.set(def.ref, line);
    out.push(line);
  }
  for (const s of sums) {
    if (!isPnlAccount(s.account)) continue;
    const cents = s.creditCents - s.debitCents;
    if (cents === 0 && s.debitCents === 0) continue;
    const line = byRef.get(pnlLineOf(s.account))!;
    line.cents += cents;
    line.accounts.push({ account: s.account, cents });
  }
  for (const def of PNL_LINES) if (def.sums) byRef.get(def.ref)!.cents = def.sums.reduce((t, r) => t + byRef.get(r)!.cents, 0);
  for (const l of out) l.accounts.sort((a, b) => a.account.localeCompare(b.account));
  return out;
}

/** The result (D) straight from the sums: credit − debit of every 6/7 account. */
export const resultOf = (sums: readonly AccountSums[]) => sums.reduce((t, s) => (isPnlAccount(s.account) ? t + s.creditCents - s.debitCents : t), 0);

// ── Balance sheet ────────────────────────────────────────────────────────────────────────────────────────

export type BsSide = 'asset' | 'equity_liability';

export interface BsLineDef {
  id: string;
  ref: string;
  es: string;
  en: string;
  side: BsSide;
  level: number;
  /** Parent line id (headings and subtotals sum their children). */
  parent: string | null;
}

const bs = (id: string, ref: string, es: string, en: string, side: BsSide, level: number, parent: string | null): BsLineDef => ({ id, ref, es, en, side, level, parent });

export const BS_LINES: readonly BsLineDef[] = [
  bs('assets', '', 'TOTAL ACTIVO (A + B)', 'TOTAL ASSETS (A + B)', 'asset', 0, null),
  bs('non_current_assets', 'A', 'A) ACTIVO NO CORRIENTE', 'A) NON-CURRENT ASSETS', 'asset', 1, 'assets'),
  bs('intangible', 'I', 'Inmovilizado intangible', 'Intangible assets', 'asset', 2, 'non_current_assets'),
  bs('tangible', 'II', 'Inmovilizado material', 'Property, plant and equipment', 'asset', 2, 'non_current_assets'),
  bs('property_investments', 'III', 'Inversiones inmobiliarias', 'Investment property', 'asset', 2, 'non_current_assets'),
  bs('lt_group_investments', 'IV', 'Inversiones en empresas del grupo y asociadas a largo plazo', 'Long-term investments in group companies', 'asset', 2, 'non_current_assets'),
  bs('lt_financial_investments', 'V', 'Inversiones financieras a largo plazo', 'Long-term financial investments', 'asset', 2, 'non_current_assets'),
  bs('deferred_tax_assets', 'VI', 'Activos por impuesto diferido', 'Deferred tax assets', 'asset', 2, 'non_current_assets'),
  bs('current_assets', 'B', 'B) ACTIVO CORRIENTE', 'B) CURRENT ASSETS', 'asset', 1, 'assets'),
  bs('inventories', 'I', 'Existencias', 'Inventories', 'asset', 2, 'current_assets'),
  bs('trade_debtors', 'II', 'Deudores comerciales y otras cuentas a cobrar', 'Trade and other receivables', 'asset', 2, 'current_assets'),
  bs('customers', '1', 'Clientes por ventas y prestaciones de servicios', 'Trade receivables', 'asset', 3, 'trade_debtors'),
  bs('called_capital', '2', 'Accionistas (socios) por desembolsos exigidos', 'Called-up capital', 'asset', 3, 'trade_debtors'),
  bs('other_debtors', '3', 'Otros deudores', 'Other receivables', 'asset', 3, 'trade_debtors'),
  bs('st_group_investments', 'III', 'Inversiones en empresas del grupo y asociadas a corto plazo', 'Short-term investments in group companies', 'asset', 2, 'current_assets'),
  bs('st_financial_investments', 'IV', 'Inversiones financieras a corto plazo', 'Short-term financial investments', 'asset', 2, 'current_assets'),
  bs('st_prepayments', 'V', 'Periodificaciones a corto plazo', 'Prepayments', 'asset', 2, 'current_assets'),
  bs('cash', 'VI', 'Efectivo y otros activos líquidos equivalentes', 'Cash and cash equivalents', 'asset', 2, 'current_assets'),
  bs('equity_liabilities', '', 'TOTAL PATRIMONIO NETO Y PASIVO (A + B + C)', 'TOTAL EQUITY AND LIABILITIES (A + B + C)', 'equity_liability', 0, null),
  bs('equity', 'A', 'A) PATRIMONIO NETO', 'A) EQUITY', 'equity_liability', 1, 'equity_liabilities'),
  bs('own_funds', 'A-1', 'Fondos propios', 'Own funds', 'equity_liability', 2, 'equity'),
  bs('capital', 'I', 'Capital', 'Capital', 'equity_liability', 3, 'own_funds'),
  bs('share_premium', 'II', 'Prima de emisión', 'Share premium', 'equity_liability', 3, 'own_funds'),
  bs('reserves', 'III', 'Reservas', 'Reserves', 'equity_liability', 3, 'own_funds'),
  bs('own_shares', 'IV', '(Acciones y participaciones en patrimonio propias)', '(Own shares)', 'equity_liability', 3, 'own_funds'),
  bs('prior_results', 'V', 'Resultados de ejercicios anteriores', 'Prior years’ results', 'equity_liability', 3, 'own_funds'),
  bs('partner_contributions', 'VI', 'Otras aportaciones de socios', 'Other partner contributions', 'equity_liability', 3, 'own_funds'),
  bs('year_result', 'VII', 'Resultado del ejercicio', 'Result for the year', 'equity_liability', 3, 'own_funds'),
  bs('interim_dividend', 'VIII', '(Dividendo a cuenta)', '(Interim dividend)', 'equity_liability', 3, 'own_funds'),
  bs('grants', 'A-2', 'Subvenciones, donaciones y legados recibidos', 'Grants, donations and bequests', 'equity_liability', 2, 'equity'),
  bs('non_current_liabilities', 'B', 'B) PASIVO NO CORRIENTE', 'B) NON-CURRENT LIABILITIES', 'equity_liability', 1, 'equity_liabilities'),
  bs('lt_provisions', 'I', 'Provisiones a largo plazo', 'Long-term provisions', 'equity_liability', 2, 'non_current_liabilities'),
  bs('lt_debts', 'II', 'Deudas a largo plazo', 'Long-term debts', 'equity_liability', 2, 'non_current_liabilities'),
  bs('lt_bank_debts', '1', 'Deudas con entidades de crédito', 'Bank borrowings', 'equity_liability', 3, 'lt_debts'),
  bs('lt_leases', '2', 'Acreedores por arrendamiento financiero', 'Finance lease creditors', 'equity_liability', 3, 'lt_debts'),
  bs('lt_other_debts', '3', 'Otras deudas a largo plazo', 'Other long-term debts', 'equity_liability', 3, 'lt_debts'),
  bs('lt_group_debts', 'III', 'Deudas con empresas del grupo y asociadas a largo plazo', 'Long-term debts with group companies', 'equity_liability', 2, 'non_current_liabilities'),
  bs('deferred_tax_liabilities', 'IV', 'Pasivos por impuesto diferido', 'Deferred tax liabilities', 'equity_liability', 2, 'non_current_liabilities'),
  bs('lt_accruals', 'V', 'Periodificaciones a largo plazo', 'Long-term accruals', 'equity_liability', 2, 'non_current_liabilities'),
  bs('current_liabilities', 'C', 'C) PASIVO CORRIENTE', 'C) CURRENT LIABILITIES', 'equity_liability', 1, 'equity_liabilities'),
  bs('st_provisions', 'I', 'Provisiones a corto plazo', 'Short-term provisions', 'equity_liability', 2, 'current_liabilities'),
  bs('st_debts', 'II', 'Deudas a corto plazo', 'Short-term debts', 'equity_liability', 2, 'current_liabilities'),
  bs('st_bank_debts', '1', 'Deudas con entidades de crédito', 'Bank borrowings', 'equity_liability', 3, 'st_debts'),
  bs('st_leases', '2', 'Acreedores por arrendamiento financiero', 'Finance lease creditors', 'equity_liability', 3, 'st_debts'),
  bs('st_other_debts', '3', 'Otras deudas a corto plazo', 'Other short-term debts', 'equity_liability', 3, 'st_debts'),
  bs('st_group_debts', 'III', 'Deudas con empresas del grupo y asociadas a corto plazo', 'Short-term debts with group companies', 'equity_liability', 2, 'current_liabilities'),
  bs('trade_creditors', 'IV', 'Acreedores comerciales y otras cuentas a pagar', 'Trade and other payables', 'equity_liability', 2, 'current_liabilities'),
  bs('suppliers', '1', 'Proveedores', 'Suppliers', 'equity_liability', 3, 'trade_creditors'),
  bs('other_creditors', '2', 'Otros acreedores', 'Other creditors', 'equity_liability', 3, 'trade_creditors'),
  bs('st_accruals', 'V', 'Periodificaciones a corto plazo', 'Accruals', 'equity_liability', 2, 'current_liabilities'),
];

const BS_BY_ID = new Map(BS_LINES.map((l) => [l.id, l]));
const LEAVES = new Set(BS_LINES.map((l) => l.id).filter((id) => !BS_LINES.some((c) => c.parent === id)));

/**
 * Placement of non-P&L accounts. A plain id: there whatever the sign. `[debit, credit]`: the line for a debit
 * balance and the one for a credit balance (mixed accounts).
 */
type Placement = string | readonly [string, string];
const BS_PREFIXES: ReadonlyArray<readonly [string, Placement]> = [
  // Group 1: equity and long-term liabilities.
  ['10', 'capital'], ['108', 'own_shares'], ['109', 'own_shares'], ['110', 'share_premium'], ['11', 'reserves'], ['118', 'partner_contributions'],
  ['12', 'prior_results'], ['129', 'year_result'], ['13', 'grants'], ['14', 'lt_provisions'], ['15', 'lt_other_debts'], ['16', 'lt_group_debts'],
  ['17', 'lt_other_debts'], ['170', 'lt_bank_debts'], ['174', 'lt_leases'], ['18', 'lt_other_debts'], ['181', 'lt_accruals'], ['19', 'capital'],
  // Group 2: non-current assets (accumulated depreciation and impairment net against their assets).
  ['20', 'intangible'], ['280', 'intangible'], ['290', 'intangible'], ['21', 'tangible'], ['23', 'tangible'], ['281', 'tangible'], ['291', 'tangible'],
  ['22', 'property_investments'], ['282', 'property_investments'], ['292', 'property_investments'], ['24', 'lt_group_investments'], ['293', 'lt_group_investments'],
  ['25', 'lt_financial_investments'], ['26', 'lt_financial_investments'], ['294', 'lt_financial_investments'], ['295', 'lt_financial_investments'],
  ['296', 'lt_financial_investments'], ['297', 'lt_financial_investments'], ['298', 'lt_financial_investments'], ['27', 'lt_financial_investments'],
  // Group 3: inventories.
  ['3', 'inventories'],
  // Group 4: trade debtors and creditors; a customer in credit or a supplier in debit changes side.
  ['40', ['other_debtors', 'suppliers']], ['406', ['suppliers', 'suppliers']], ['407', ['inventories', 'suppliers']], ['41', ['other_debtors', 'other_creditors']],
  ['43', ['customers', 'other_creditors']], ['438', ['customers', 'other_creditors']], ['44', ['other_debtors', 'other_creditors']], ['46', ['other_debtors', 'other_creditors']],
  ['465', ['other_debtors', 'other_creditors']], ['47', ['other_debtors', 'other_creditors']], ['474', 'deferred_tax_assets'], ['479', 'deferred_tax_liabilities'],
  ['48', 'st_prepayments'], ['485', 'st_accruals'], ['49', 'customers'], ['499', 'st_provisions'],
  // Group 5: financial accounts.
  ['50', 'st_other_debts'], ['51', 'st_group_debts'], ['52', 'st_other_debts'], ['520', 'st_bank_debts'], ['527', 'st_bank_debts'], ['524', 'st_leases'], ['529', 'st_provisions'],
  ['53', 'st_group_investments'], ['54', 'st_financial_investments'], ['55', ['st_financial_investments', 'st_other_debts']], ['5580', 'called_capital'], ['557', 'interim_dividend'],
  ['56', ['st_financial_investments', 'st_other_debts']], ['567', 'st_prepayments'], ['568', 'st_accruals'], ['57', ['cash', 'st_bank_debts']], ['59', 'st_financial_investments'],
];

/** Where a non-P&L account's balance goes, given its debit − credit balance. */
export function balanceSheetLineOf(account: string, balanceCents: number): string {
  if (isPnlAccount(account)) return 'year_result';
  const p = longestPrefix(account, BS_PREFIXES);
  if (p === undefined) throw new Error(`no balance-sheet line for account ${account}`);
  return typeof p === 'string' ? p : balanceCents >= 0 ? p[0] : p[1];
}

export interface BalanceSheet {
  lines: StatementLine[];
  assetsCents: number;
  equityLiabilitiesCents: number;
  /** The P&L result of the year placed in "Resultado del ejercicio". */
  yearResultCents: number;
}

/**
 * The balance sheet at a date from each account's cumulative sums up to it (`cumulative`), and the sums of the
 * P&L accounts over the fiscal year to that date (`yearPnl`): the year's result goes to "Resultado del
 * ejercicio" beside 129, and what P&L accounts still hold from earlier years (not closed) to "Resultados de
 * ejercicios anteriores" — so assets = equity + liabilities whatever the closing entries.
 */
export function balanceSheet(cumulative: readonly AccountSums[], yearPnl: readonly AccountSums[]): BalanceSheet {
  const lines = new Map<string, StatementLine>(
    BS_LINES.map((d) => [d.id, { id: d.id, ref: d.ref, es: d.es, en: d.en, kind: LEAVES.has(d.id) ? 'item' : d.level <= 1 ? 'total' : 'heading', level: d.level, cents: 0, accounts: [] }]),
  );
  const add = (lineId: string, account: string, cents: number) => {
    const l = lines.get(lineId)!;
    l.cents += cents;
    const a = l.accounts.find((x) => x.account === account);
    if (a) a.cents += cents;
    else l.accounts.push({ account, cents });
  };
  const yearResult = resultOf(yearPnl);
  const pnlTotal = resultOf(cumulative);
  for (const s of cumulative) {
    if (isPnlAccount(s.account)) continue;
    const bal = s.debitCents - s.creditCents;
    if (bal === 0) continue;
    const id = balanceSheetLineOf(s.account, bal);
    add(id, s.account, BS_BY_ID.get(id)!.side === 'asset' ? bal : -bal);
  }
  if (yearResult !== 0) add('year_result', '6/7', yearResult);
  if (pnlTotal - yearResult !== 0) add('prior_results', '6/7', pnlTotal - yearResult);
  // Roll leaves up into their headings and totals (deepest first).
  for (const d of [...BS_LINES].sort((a, b) => b.level - a.level)) if (d.parent) lines.get(d.parent)!.cents += lines.get(d.id)!.cents;
  for (const l of lines.values()) l.accounts.sort((a, b) => a.account.localeCompare(b.account));
  return { lines: BS_LINES.map((d) => lines.get(d.id)!), assetsCents: lines.get('assets')!.cents, equityLiabilitiesCents: lines.get('equity_liabilities')!.cents, yearResultCents: yearResult };
}

// ── Trial balance ────────────────────────────────────────────────────────────────────────────────────────

export type TrialLevel = 3 | 4 | 8;

export interface TrialSums {
  account: string;
  /** debit − credit before the range. */
  openingCents: number;
  debitCents: number;
  creditCents: number;
}

export interface TrialRow extends TrialSums {
  closingCents: number;
}

export interface TrialTotals {
  openingCents: number;
  debitCents: number;
  creditCents: number;
  closingCents: number;
}

/** Groups sums by the first `level` digits (sub-accounts: whole code), adds the closing balance; rows in code order. */
export function trialRows(sums: readonly TrialSums[], level: TrialLevel): TrialRow[] {
  const by = new Map<string, TrialRow>();
  for (const s of sums) {
    const key = level === 8 ? s.account : s.account.slice(0, level);
    const r = by.get(key) ?? { account: key, openingCents: 0, debitCents: 0, creditCents: 0, closingCents: 0 };
    r.openingCents += s.openingCents;
    r.debitCents += s.debitCents;
    r.creditCents += s.creditCents;
    r.closingCents = r.openingCents + r.debitCents - r.creditCents;
    by.set(key, r);
  }
  return [...by.values()].filter((r) => r.openingCents !== 0 || r.debitCents !== 0 || r.creditCents !== 0).sort((a, b) => a.account.localeCompare(b.account));
}

export const trialTotals = (rows: readonly TrialRow[]): TrialTotals =>
  rows.reduce((t, r) => ({ openingCents: t.openingCents + r.openingCents, debitCents: t.debitCents + r.debitCents, creditCents: t.creditCents + r.creditCents, closingCents: t.closingCents + r.closingCents }), {
    openingCents: 0,
    debitCents: 0,
    creditCents: 0,
    closingCents: 0,
  });

/** The same range a year earlier (`2026-03` → `2025-03`). */
export const previousYearMonth = (month: string) => `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
