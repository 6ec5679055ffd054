/**
 * The Spanish chart of accounts for small and medium companies (Plan General de Contabilidad de PYMES, RD
 * 1515/2007): the groups, subgroups and accounts a franchise company uses, in Spanish with English beside it.
 * Every company's chart starts from this list; its postable sub-accounts (8 digits: `43000001` for a customer,
 * `70002100` for sales at 21 %) hang under these codes. Pure data and rules, no I/O.
 */

/** What an account is, from its group: decides on which side its balance normally sits and where it goes in the statements. */
export type AccountNature = 'asset' | 'liability' | 'equity' | 'expense' | 'income';

export interface PgcAccount {
  code: string;
  es: string;
  en: string;
}

/** Postable sub-accounts have this many digits by default (the length A3 and ContaPlus are usually set to). */
export const SUBACCOUNT_DIGITS = 8;

export const PGC_PYMES: readonly PgcAccount[] = [
  { code: '1', es: 'Financiación básica', en: 'Basic financing' },
  { code: '10', es: 'Capital', en: 'Capital' },
  { code: '100', es: 'Capital social', en: 'Share capital' },
  { code: '11', es: 'Reservas y otros instrumentos de patrimonio', en: 'Reserves' },
  { code: '112', es: 'Reserva legal', en: 'Legal reserve' },
  { code: '113', es: 'Reservas voluntarias', en: 'Voluntary reserves' },
  { code: '12', es: 'Resultados pendientes de aplicación', en: 'Retained earnings' },
  { code: '120', es: 'Remanente', en: 'Retained earnings' },
  { code: '121', es: 'Resultados negativos de ejercicios anteriores', en: 'Prior years’ losses' },
  { code: '129', es: 'Resultado del ejercicio', en: 'Profit or loss for the year' },
  { code: '17', es: 'Deudas a largo plazo por préstamos recibidos', en: 'Long-term borrowings' },
  { code: '170', es: 'Deudas a largo plazo con entidades de crédito', en: 'Long-term bank loans' },
  { code: '2', es: 'Activo no corriente', en: 'Non-current assets' },
  { code: '20', es: 'Inmovilizaciones intangibles', en: 'Intangible assets' },
  { code: '206', es: 'Aplicaciones informáticas', en: 'Software' },
  { code: '21', es: 'Inmovilizaciones materiales', en: 'Property, plant and equipment' },
  { code: '211', es: 'Construcciones', en: 'Buildings' },
  { code: '216', es: 'Mobiliario', en: 'Furniture' },
  { code: '217', es: 'Equipos para procesos de información', en: 'Computer equipment' },
  { code: '28', es: 'Amortización acumulada del inmovilizado', en: 'Accumulated depreciation' },
  { code: '281', es: 'Amortización acumulada del inmovilizado material', en: 'Accumulated depreciation of PP&E' },
  { code: '3', es: 'Existencias', en: 'Inventories' },
  { code: '30', es: 'Comerciales', en: 'Goods for resale' },
  { code: '300', es: 'Mercaderías', en: 'Goods for resale' },
  { code: '4', es: 'Acreedores y deudores por operaciones comerciales', en: 'Trade creditors and debtors' },
  { code: '40', es: 'Proveedores', en: 'Suppliers' },
  { code: '400', es: 'Proveedores', en: 'Suppliers' },
  { code: '41', es: 'Acreedores varios', en: 'Other creditors' },
  { code: '410', es: 'Acreedores por prestaciones de servicios', en: 'Service creditors' },
  { code: '43', es: 'Clientes', en: 'Customers' },
  { code: '430', es: 'Clientes', en: 'Customers' },
  { code: '436', es: 'Clientes de dudoso cobro', en: 'Doubtful debtors' },
  { code: '438', es: 'Anticipos de clientes', en: 'Customer advances' },
  { code: '47', es: 'Administraciones públicas', en: 'Public administrations' },
  { code: '470', es: 'Hacienda Pública, deudora por diversos conceptos', en: 'Tax receivable' },
  { code: '472', es: 'Hacienda Pública, IVA soportado', en: 'Input VAT' },
  { code: '473', es: 'Hacienda Pública, retenciones y pagos a cuenta', en: 'Withholdings suffered' },
  { code: '475', es: 'Hacienda Pública, acreedora por conceptos fiscales', en: 'Tax payable' },
  { code: '4750', es: 'Hacienda Pública, acreedora por IVA', en: 'VAT payable' },
  { code: '4751', es: 'Hacienda Pública, acreedora por retenciones practicadas', en: 'Withholdings payable' },
  { code: '476', es: 'Organismos de la Seguridad Social, acreedores', en: 'Social security payable' },
  { code: '477', es: 'Hacienda Pública, IVA repercutido', en: 'Output VAT' },
  { code: '4770', es: 'IVA repercutido', en: 'Output VAT' },
  { code: '4771', es: 'Recargo de equivalencia repercutido', en: 'Equivalence surcharge charged' },
  { code: '5', es: 'Cuentas financieras', en: 'Financial accounts' },
  { code: '52', es: 'Deudas a corto plazo por préstamos recibidos', en: 'Short-term borrowings' },
  { code: '520', es: 'Deudas a corto plazo con entidades de crédito', en: 'Short-term bank loans' },
  { code: '55', es: 'Otras cuentas no bancarias', en: 'Other non-bank accounts' },
  { code: '555', es: 'Partidas pendientes de aplicación', en: 'Suspense items' },
  { code: '57', es: 'Tesorería', en: 'Cash and banks' },
  { code: '570', es: 'Caja, euros', en: 'Cash' },
  { code: '572', es: 'Bancos e instituciones de crédito c/c vista, euros', en: 'Banks' },
  { code: '6', es: 'Compras y gastos', en: 'Purchases and expenses' },
  { code: '60', es: 'Compras', en: 'Purchases' },
  { code: '600', es: 'Compras de mercaderías', en: 'Purchases of goods' },
  { code: '606', es: 'Descuentos sobre compras por pronto pago', en: 'Prompt-payment discounts on purchases' },
  { code: '608', es: 'Devoluciones de compras y operaciones similares', en: 'Purchase returns' },
  { code: '61', es: 'Variación de existencias', en: 'Change in inventories' },
  { code: '610', es: 'Variación de existencias de mercaderías', en: 'Change in inventories of goods' },
  { code: '62', es: 'Servicios exteriores', en: 'External services' },
  { code: '621', es: 'Arrendamientos y cánones', en: 'Rents and royalties' },
  { code: '622', es: 'Reparaciones y conservación', en: 'Repairs and maintenance' },
  { code: '623', es: 'Servicios de profesionales independientes', en: 'Professional services' },
  { code: '624', es: 'Transportes', en: 'Transport' },
  { code: '625', es: 'Primas de seguros', en: 'Insurance premiums' },
  { code: '626', es: 'Servicios bancarios y similares', en: 'Bank charges' },
  { code: '627', es: 'Publicidad, propaganda y relaciones públicas', en: 'Advertising' },
  { code: '628', es: 'Suministros', en: 'Utilities' },
  { code: '629', es: 'Otros servicios', en: 'Other services' },
  { code: '63', es: 'Tributos', en: 'Taxes' },
  { code: '631', es: 'Otros tributos', en: 'Other taxes' },
  { code: '64', es: 'Gastos de personal', en: 'Staff costs' },
  { code: '640', es: 'Sueldos y salarios', en: 'Wages and salaries' },
  { code: '642', es: 'Seguridad Social a cargo de la empresa', en: 'Employer social security' },
  { code: '65', es: 'Otros gastos de gestión', en: 'Other operating expenses' },
  { code: '650', es: 'Pérdidas de créditos comerciales incobrables', en: 'Bad debts' },
  { code: '66', es: 'Gastos financieros', en: 'Finance costs' },
  { code: '662', es: 'Intereses de deudas', en: 'Interest on debts' },
  { code: '67', es: 'Pérdidas procedentes de activos no corrientes y gastos excepcionales', en: 'Exceptional losses' },
  { code: '678', es: 'Gastos excepcionales', en: 'Exceptional expenses' },
  { code: '68', es: 'Dotaciones para amortizaciones', en: 'Depreciation' },
  { code: '681', es: 'Amortización del inmovilizado material', en: 'Depreciation of PP&E' },
  { code: '7', es: 'Ventas e ingresos', en: 'Sales and income' },
  { code: '70', es: 'Ventas de mercaderías, de producción propia, de servicios, etc.', en: 'Sales of goods and services' },
  { code: '700', es: 'Ventas de mercaderías', en: 'Sales of goods' },
  { code: '705', es: 'Prestaciones de servicios', en: 'Services rendered' },
  { code: '706', es: 'Descuentos sobre ventas por pronto pago', en: 'Prompt-payment discounts on sales' },
  { code: '708', es: 'Devoluciones de ventas y operaciones similares', en: 'Sales returns' },
  { code: '75', es: 'Otros ingresos de gestión', en: 'Other operating income' },
  { code: '759', es: 'Ingresos por servicios diversos', en: 'Income from sundry services' },
  { code: '76', es: 'Ingresos financieros', en: 'Finance income' },
  { code: '769', es: 'Otros ingresos financieros', en: 'Other finance income' },
  { code: '77', es: 'Beneficios procedentes de activos no corrientes e ingresos excepcionales', en: 'Exceptional gains' },
  { code: '778', es: 'Ingresos excepcionales', en: 'Exceptional income' },
];

const BY_CODE = new Map(PGC_PYMES.map((a) => [a.code, a]));
export const pgcAccount = (code: string): PgcAccount | undefined => BY_CODE.get(code);

/**
 * The nature of an account from its code. Group 4 and 5 accounts are assets or liabilities by subgroup (a
 * customer is an asset, a supplier a liability); 1 is equity or long-term debt; 6 expense, 7 income.
 */
export function natureOf(code: string): AccountNature {
  const g = code[0];
  if (g === '1') return code.startsWith('17') || code.startsWith('16') ? 'liability' : 'equity';
  if (g === '2' || g === '3') return 'asset';
  if (g === '4') return code.startsWith('40') || code.startsWith('41') || code.startsWith('438') || code.startsWith('475') || code.startsWith('476') || code.startsWith('477') ? 'liability' : 'asset';
  if (g === '5') return code.startsWith('52') ? 'liability' : 'asset';
  if (g === '6') return 'expense';
  if (g === '7') return 'income';
  throw new Error(`not a PGC account: ${code}`);
}

/** The PGC account a sub-account hangs under: the longest code of the chart that prefixes it. */
export function parentOf(code: string): PgcAccount | undefined {
  for (let n = Math.min(code.length - 1, 4); n >= 1; n--) {
    const a = BY_CODE.get(code.slice(0, n));
    if (a) return a;
  }
  return undefined;
}

/** A sub-account code: the prefix padded with zeros to `digits`, then the suffix (`subaccount('430', 17)` = `43000017`). */
export function subaccount(prefix: string, suffix: number | string, digits = SUBACCOUNT_DIGITS): string {
  const s = String(suffix);
  if (prefix.length + s.length > digits) throw new Error(`sub-account ${prefix}…${s} does not fit in ${digits} digits`);
  return prefix + s.padStart(digits - prefix.length, '0');
}

/** Whether a code is a postable sub-account: only digits, exactly `digits` long, under an account of the chart. */
export function isPostableCode(code: string, digits = SUBACCOUNT_DIGITS): boolean {
  return code.length === digits && /^[1-7]\d+$/.test(code) && parentOf(code) !== undefined;
}
