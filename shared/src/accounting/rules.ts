/**
 * Posting rules: which account each part of a document goes to. Every company starts with the defaults below
 * (the usual Spanish practice for a retailer) and may override any role — per IVA rate for the roles that
 * depend on one. The entry builders name roles, never account codes, so a company's own chart applies to
 * every document it posts. Counterparties (customers, suppliers) get their own sub-accounts under 430/400/410
 * and are not rules.
 */
import { isPostableCode, natureOf, parentOf, SUBACCOUNT_DIGITS, type AccountNature } from './pgc';

export interface RoleDef {
  es: string;
  en: string;
  /** The default account; for roles by rate, a 4-digit prefix followed by the rate in basis points (`7000` + `2100`). */
  default: string;
  byRate?: true;
  /** The natures an account for this role may have (a sales role on an expense account is refused). */
  natures: readonly AccountNature[];
}

export const POSTING_ROLES = {
  cash: { es: 'Caja (cobros en efectivo)', en: 'Cash takings', default: '57000000', natures: ['asset'] },
  bank: { es: 'Banco (cobros y pagos)', en: 'Bank', default: '57200000', natures: ['asset', 'liability'] },
  card_clearing: { es: 'Cobros con tarjeta pendientes de abono', en: 'Card takings to be settled', default: '55500000', natures: ['asset', 'liability'] },
  vouchers: { es: 'Vales y tarjetas regalo (anticipos de clientes)', en: 'Vouchers and gift cards', default: '43800000', natures: ['liability', 'asset'] },
  sales_goods: { es: 'Ventas de mercaderías por tipo de IVA', en: 'Sales of goods by VAT rate', default: '7000', byRate: true, natures: ['income'] },
  sales_services: { es: 'Prestaciones de servicios por tipo de IVA', en: 'Services by VAT rate', default: '7050', byRate: true, natures: ['income'] },
  output_vat: { es: 'IVA repercutido por tipo', en: 'Output VAT by rate', default: '4770', byRate: true, natures: ['liability'] },
  output_re: { es: 'Recargo de equivalencia repercutido por tipo', en: 'Equivalence surcharge charged by rate', default: '4771', byRate: true, natures: ['liability'] },
  input_vat: { es: 'IVA soportado por tipo', en: 'Input VAT by rate', default: '4720', byRate: true, natures: ['asset'] },
  purchases: { es: 'Compras de mercaderías', en: 'Purchases of goods', default: '60000000', natures: ['expense'] },
  services_received: { es: 'Servicios exteriores recibidos', en: 'External services received', default: '62900000', natures: ['expense'] },
  fee_expense: { es: 'Cánones de franquicia', en: 'Franchise fees (expense)', default: '62100000', natures: ['expense'] },
  irpf_withheld: { es: 'Retenciones de IRPF practicadas', en: 'IRPF withheld from suppliers', default: '47510000', natures: ['liability'] },
  irpf_suffered: { es: 'Retenciones de IRPF soportadas', en: 'IRPF withheld by customers', default: '47300000', natures: ['asset'] },
  bank_fees: { es: 'Comisiones bancarias', en: 'Bank charges', default: '62600000', natures: ['expense'] },
  bad_debts: { es: 'Créditos incobrables', en: 'Bad debts', default: '65000000', natures: ['expense'] },
  recharged_fees: { es: 'Gastos repercutidos a clientes', en: 'Charges recharged to customers', default: '75900000', natures: ['income'] },
  stock: { es: 'Existencias de mercaderías', en: 'Inventory of goods', default: '30000000', natures: ['asset'] },
  stock_variation: { es: 'Variación de existencias', en: 'Change in inventories', default: '61000000', natures: ['expense'] },
} as const satisfies Record<string, RoleDef>;

export type PostingRole = keyof typeof POSTING_ROLES;
export const ROLE_IDS = Object.keys(POSTING_ROLES) as PostingRole[];
export const isRateRole = (role: PostingRole): boolean => 'byRate' in POSTING_ROLES[role];

/** A company's overrides: `role` or `role:rateBp` → account. */
export type RuleOverrides = ReadonlyMap<string, string>;
export const ruleKey = (role: PostingRole, rateBp?: number | null) => (rateBp === undefined || rateBp === null ? role : `${role}:${rateBp}`);

/** The account of a role (and rate, for the roles by rate) under a company's overrides. */
export function accountFor(overrides: RuleOverrides, role: PostingRole, rateBp?: number): string {
  const def: RoleDef = POSTING_ROLES[role];
  if (def.byRate) {
    if (rateBp === undefined || !Number.isInteger(rateBp) || rateBp < 0 || rateBp > 9999) throw new Error(`role ${role} needs a rate in basis points`);
    return overrides.get(ruleKey(role, rateBp)) ?? overrides.get(role) ?? def.default + String(rateBp).padStart(4, '0');
  }
  return overrides.get(role) ?? def.default;
}

/**
 * Why an account cannot carry a role, or null when it can: it must be a postable sub-account of the chart and
 * of a nature the role allows. A rule that would leave documents without an account is refused here.
 */
export function ruleProblem(role: string, account: string | null | undefined, digits = SUBACCOUNT_DIGITS): string | null {
  if (!(role in POSTING_ROLES)) return `unknown role ${role}`;
  if (!account) return 'every role needs an account: documents of this kind would post nowhere';
  if (!isPostableCode(account, digits)) return `${account} is not a postable sub-account (${digits} digits under an account of the chart)`;
  const def: RoleDef = POSTING_ROLES[role as PostingRole];
  const nature = natureOf(account);
  if (!def.natures.includes(nature)) return `${account} (${parentOf(account)?.es ?? ''}) is ${nature}; ${def.es} needs ${def.natures.join(' or ')}`;
  return null;
}
