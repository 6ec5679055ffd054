/**
 * The Facturae 3.2.2 document of one posted invoice or credit note (modality I: one invoice per file),
 * valid against `shared/fixtures/schemas/facturae/Facturaev3_2_2.xsd`. Pure: the caller loads the invoice
 * (posting.ts `loadInvoice`) and the two parties.
 *
 * Amounts are exact decimals of our stored cents (never floats):
 *   line   TotalCost = quantity × UnitPriceWithoutTax, rounded half up to cents (the line base without discount)
 *          GrossAmount = the line's stored base; DiscountAmount = TotalCost − GrossAmount (so they add up exactly)
 *   taxes  one TaxesOutputs/Tax per stored tax group (IVA 01 with its recargo), TaxesWithheld/Tax IRPF 04
 *   totals TotalGrossAmount = TotalGrossAmountBeforeTaxes = Σ GrossAmount = base
 *          TotalTaxOutputs = Σ TaxAmount + Σ EquivalenceSurchargeAmount = IVA + recargo
 *          TotalTaxesWithheld = IRPF;  InvoiceTotal = base + IVA + recargo − IRPF = TotalOutstanding = TotalExecutable
 * The per-line tax is not repeated (optional in the schema, and "informative" only): the tax is worked out
 * per rate group, so per-line quotas would not add up to the group's.
 */
import { lineBase } from '@tpv/shared/invoicing/amounts';
import type { InvoiceView } from '../posting';

export interface FacturaeAddress {
  street: string;
  postCode: string;
  town: string;
  province: string;
  /** ISO 3166 alpha-2. */
  country: string;
}

/** DIR3 codes of a public body (FACe needs the three; órgano proponente is optional). */
export interface Dir3Centres {
  oficinaContable: string;
  organoGestor: string;
  unidadTramitadora: string;
  organoProponente?: string | null;
}

export interface FacturaeParty {
  /** Spanish NIF, or a foreign tax id with a non-ES country. */
  taxId: string;
  /** F: an individual (DNI/NIE), J: a legal entity. */
  personType: 'F' | 'J';
  name: string;
  tradeName?: string | null;
  address: FacturaeAddress;
  centres?: Dir3Centres | null;
  iban?: string | null;
}

const NS = 'http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** ISO alpha-2 → alpha-3 of the countries we invoice (EU, EFTA, and the usual others). */
const ISO3: Record<string, string> = {
  ES: 'ESP', PT: 'PRT', FR: 'FRA', DE: 'DEU', IT: 'ITA', NL: 'NLD', BE: 'BEL', LU: 'LUX', IE: 'IRL', AT: 'AUT', DK: 'DNK', SE: 'SWE', FI: 'FIN',
  PL: 'POL', CZ: 'CZE', SK: 'SVK', SI: 'SVN', HU: 'HUN', RO: 'ROU', BG: 'BGR', HR: 'HRV', GR: 'GRC', CY: 'CYP', MT: 'MLT', EE: 'EST', LV: 'LVA',
  LT: 'LTU', GB: 'GBR', CH: 'CHE', NO: 'NOR', IS: 'ISL', LI: 'LIE', AD: 'AND', MC: 'MCO', MA: 'MAR', US: 'USA', CA: 'CAN', MX: 'MEX', AR: 'ARG',
  CO: 'COL', CL: 'CHL', PE: 'PER', BR: 'BRA', UY: 'URY', VE: 'VEN', CN: 'CHN', JP: 'JPN',
};
const EU = new Set(['ES', 'PT', 'FR', 'DE', 'IT', 'NL', 'BE', 'LU', 'IE', 'AT', 'DK', 'SE', 'FI', 'PL', 'CZ', 'SK', 'SI', 'HU', 'RO', 'BG', 'HR', 'GR', 'CY', 'MT', 'EE', 'LV', 'LT']);
export const iso3Of = (iso2: string): string | undefined => ISO3[iso2.toUpperCase()];

/** The Spanish province of a postcode (its first two digits). */
const PROVINCES = [
  '', 'Álava', 'Albacete', 'Alicante', 'Almería', 'Ávila', 'Badajoz', 'Illes Balears', 'Barcelona', 'Burgos', 'Cáceres', 'Cádiz', 'Castellón', 'Ciudad Real',
  'Córdoba', 'A Coruña', 'Cuenca', 'Girona', 'Granada', 'Guadalajara', 'Gipuzkoa', 'Huelva', 'Huesca', 'Jaén', 'León', 'Lleida', 'La Rioja', 'Lugo',
  'Madrid', 'Málaga', 'Murcia', 'Navarra', 'Ourense', 'Asturias', 'Palencia', 'Las Palmas', 'Pontevedra', 'Salamanca', 'Santa Cruz de Tenerife',
  'Cantabria', 'Segovia', 'Sevilla', 'Soria', 'Tarragona', 'Teruel', 'Toledo', 'Valencia', 'Valladolid', 'Bizkaia', 'Zamora', 'Zaragoza', 'Ceuta', 'Melilla',
];
export const provinceOfPostcode = (pc: string): string | undefined => (/^\d{5}$/.test(pc) ? PROVINCES[Number(pc.slice(0, 2))] || undefined : undefined);

/**
 * A one-line Spanish address ("Calle Mayor 1, 28001 Madrid") split at its postcode: street before it, town
 * after it, province from the postcode. Undefined when there is no 5-digit postcode of a real province.
 */
export function parseSpanishAddress(text: string): FacturaeAddress | undefined {
  const m = /^(.*?)[,\s]+(\d{5})\s+([^,(]+)/.exec(text.trim());
  if (!m) return undefined;
  const province = provinceOfPostcode(m[2]!);
  if (!province || !m[1]!.trim()) return undefined;
  return { street: m[1]!.trim(), postCode: m[2]!, town: m[3]!.trim(), province, country: 'ES' };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (s: string, n: number) => [...s.trim()].slice(0, n).join('');

/** Exact decimal text of `units / 10^scale` with at least 2 decimals and no trailing zeros beyond them. */
export function decimal(units: bigint, scale: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const p = 10n ** BigInt(scale);
  const int = abs / p;
  let frac = (abs % p).toString().padStart(scale, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${int}.${frac}`;
}
export const euros = (cents: number) => decimal(BigInt(cents), 2);
const rate = (bp: number) => decimal(BigInt(bp), 2);
const quantity = (milli: number) => {
  const s = decimal(BigInt(milli), 3);
  return s.endsWith('.00') ? s.slice(0, -3) : s;
};

/** Credit-note cause (Veri*Factu R1–R4) → Facturae ReasonCode and its fixed description. */
const REASONS: Record<string, [string, string]> = {
  R1: ['16', 'Base imponible'],
  R2: ['85', 'Base imponible modificada cuotas repercutidas no satisfechas. Auto de declaración de concurso'],
  R3: ['85', 'Base imponible modificada cuotas repercutidas no satisfechas. Auto de declaración de concurso'],
  R4: ['10', 'Detalle Operación'],
};
const CORRECTION: Record<string, [string, string]> = { S: ['01', 'Rectificación íntegra'], I: ['02', 'Rectificación por diferencias'] };
/** Our free-text payment method → Facturae PaymentMeans (default: transfer). */
export function paymentMeansOf(method: string | null): string {
  const m = (method ?? '').toLowerCase();
  if (/cash|efectivo|contado/.test(m)) return '01';
  if (/debit|domicilia|sepa|recibo/.test(m)) return '02';
  if (/card|tarjeta/.test(m)) return '19';
  return '04';
}

type Node = string;
const el = (name: string, ...children: Array<Node | false | null | undefined>): Node => `<${name}>${children.filter((c): c is string => typeof c === 'string').join('')}</${name}>`;
const tx = (name: string, value: string) => `<${name}>${esc(value)}</${name}>`;
const amount = (name: string, cents: number) => el(name, tx('TotalAmount', euros(cents)));

function address(a: FacturaeAddress): Node {
  const c3 = iso3Of(a.country)!;
  if (a.country === 'ES') return el('AddressInSpain', tx('Address', cut(a.street, 80)), tx('PostCode', a.postCode), tx('Town', cut(a.town, 50)), tx('Province', cut(a.province, 20)), tx('CountryCode', c3));
  return el('OverseasAddress', tx('Address', cut(a.street, 80)), tx('PostCodeAndTown', cut(`${a.postCode} ${a.town}`, 50)), tx('Province', cut(a.province || a.town, 20)), tx('CountryCode', c3));
}

/** "Nombre Apellido1 Apellido2" → Name, FirstSurname, SecondSurname (a one-word name repeats as surname). */
function individual(name: string): { name: string; first: string; second?: string } {
  const w = name.trim().split(/\s+/);
  if (w.length === 1) return { name: w[0]!, first: w[0]! };
  if (w.length === 2) return { name: w[0]!, first: w[1]! };
  return { name: w.slice(0, w.length - 2).join(' '), first: w[w.length - 2]!, second: w[w.length - 1]! };
}

function party(tag: string, p: FacturaeParty): Node {
  const residence = p.address.country === 'ES' ? 'R' : EU.has(p.address.country) ? 'U' : 'E';
  const centres = p.centres
    ? el(
        'AdministrativeCentres',
        ...([
          ['01', p.centres.oficinaContable, 'Oficina contable'],
          ['02', p.centres.organoGestor, 'Órgano gestor'],
          ['03', p.centres.unidadTramitadora, 'Unidad tramitadora'],
          ['04', p.centres.organoProponente, 'Órgano proponente'],
        ] as const)
          .filter(([, code]) => code)
          .map(([role, code, what]) => el('AdministrativeCentre', tx('CentreCode', code!), tx('RoleTypeCode', role), address(p.address), tx('CentreDescription', what))),
      )
    : null;
  const who =
    p.personType === 'J'
      ? el('LegalEntity', tx('CorporateName', cut(p.name, 80)), p.tradeName ? tx('TradeName', cut(p.tradeName, 40)) : null, address(p.address))
      : (() => {
          const n = individual(p.name);
          return el('Individual', tx('Name', cut(n.name, 40)), tx('FirstSurname', cut(n.first, 40)), n.second ? tx('SecondSurname', cut(n.second, 40)) : null, address(p.address));
        })();
  return el(tag, el('TaxIdentification', tx('PersonTypeCode', p.personType), tx('ResidenceTypeCode', residence), tx('TaxIdentificationNumber', p.taxId)), centres, who);
}

const monthOf = (isoDate: string): [string, string] => {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${isoDate.slice(0, 7)}-01`, `${isoDate.slice(0, 7)}-${String(last).padStart(2, '0')}`];
};

/** The unsigned Facturae XML of a posted invoice (the caller checked it is posted). */
export function facturaeXml(inv: InvoiceView, seller: FacturaeParty, buyer: FacturaeParty): string {
  const total = inv.totalCents;
  const taxOutputs = inv.ivaCents + inv.reCents;
  const header = el(
    'InvoiceHeader',
    tx('InvoiceNumber', inv.number!),
    tx('InvoiceDocumentType', 'FC'),
    tx('InvoiceClass', inv.rectifies ? 'OR' : 'OO'),
    inv.rectifies
      ? el(
          'Corrective',
          inv.rectifies.number ? tx('InvoiceNumber', inv.rectifies.number) : null,
          tx('ReasonCode', REASONS[inv.invoiceType]![0]),
          tx('ReasonDescription', REASONS[inv.invoiceType]![1]),
          el('TaxPeriod', ...monthOf(inv.rectifies.issueDate ?? inv.issueDate!).map((d, i) => tx(i === 0 ? 'StartDate' : 'EndDate', d))),
          tx('CorrectionMethod', CORRECTION[inv.rectifies.method]![0]),
          tx('CorrectionMethodDescription', CORRECTION[inv.rectifies.method]![1]),
          inv.rectifies.reason ? tx('AdditionalReasonDescription', cut(inv.rectifies.reason, 2500)) : null,
          inv.rectifies.issueDate ? tx('InvoiceIssueDate', inv.rectifies.issueDate) : null,
        )
      : null,
  );
  const issue = el(
    'InvoiceIssueData',
    tx('IssueDate', inv.issueDate!),
    inv.operationDate && inv.operationDate !== inv.issueDate ? tx('OperationDate', inv.operationDate) : null,
    inv.periodFrom && inv.periodTo ? el('InvoicingPeriod', tx('StartDate', inv.periodFrom), tx('EndDate', inv.periodTo)) : null,
    tx('InvoiceCurrencyCode', 'EUR'),
    tx('TaxCurrencyCode', 'EUR'),
    tx('LanguageName', inv.language),
    inv.description ? tx('InvoiceDescription', cut(inv.description, 2500)) : null,
  );
  const taxes = el(
    'TaxesOutputs',
    ...inv.taxes.map((t) =>
      el(
        'Tax',
        tx('TaxTypeCode', '01'),
        tx('TaxRate', rate(t.ivaRateBp)),
        amount('TaxableBase', t.baseCents),
        amount('TaxAmount', t.ivaCents),
        t.reRateBp ? tx('EquivalenceSurcharge', rate(t.reRateBp)) : null,
        t.reRateBp ? amount('EquivalenceSurchargeAmount', t.reCents) : null,
      ),
    ),
  );
  const withheld = inv.irpfBp > 0 ? el('TaxesWithheld', el('Tax', tx('TaxTypeCode', '04'), tx('TaxRate', rate(inv.irpfBp)), amount('TaxableBase', inv.baseCents), amount('TaxAmount', inv.irpfCents))) : null;
  const totals = el(
    'InvoiceTotals',
    tx('TotalGrossAmount', euros(inv.baseCents)),
    tx('TotalGrossAmountBeforeTaxes', euros(inv.baseCents)),
    tx('TotalTaxOutputs', euros(taxOutputs)),
    tx('TotalTaxesWithheld', euros(inv.irpfCents)),
    tx('InvoiceTotal', euros(total)),
    tx('TotalOutstandingAmount', euros(total)),
    tx('TotalExecutableAmount', euros(total)),
  );
  const items = el(
    'Items',
    ...inv.lines.map((l) => {
      const cost = lineBase({ quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents });
      return el(
        'InvoiceLine',
        tx('SequenceNumber', String(l.lineNo)),
        tx('ItemDescription', cut(l.description, 2500)),
        tx('Quantity', quantity(l.quantityMilli)),
        tx('UnitOfMeasure', '01'),
        tx('UnitPriceWithoutTax', euros(l.unitPriceCents)),
        tx('TotalCost', euros(cost)),
        l.discountBp > 0 ? el('DiscountsAndRebates', el('Discount', tx('DiscountReason', 'Descuento'), tx('DiscountRate', rate(l.discountBp)), tx('DiscountAmount', euros(cost - l.baseCents)))) : null,
        tx('GrossAmount', euros(l.baseCents)),
        el('TaxesOutputs', el('Tax', tx('TaxTypeCode', '01'), tx('TaxRate', rate(l.ivaRateBp)), amount('TaxableBase', l.baseCents), l.reRateBp ? tx('EquivalenceSurcharge', rate(l.reRateBp)) : null)),
      );
    }),
  );
  const means = paymentMeansOf(inv.paymentMethod);
  const payment = inv.dues.length
    ? el(
        'PaymentDetails',
        ...inv.dues.map((d) =>
          el('Installment', tx('InstallmentDueDate', d.dueDate), tx('InstallmentAmount', euros(d.amountCents)), tx('PaymentMeans', means), means === '04' && seller.iban ? el('AccountToBeCredited', tx('IBAN', seller.iban)) : null),
        ),
      )
    : null;
  const exempt = inv.taxes.filter((t) => t.exemption);
  const literals = exempt.length ? el('LegalLiterals', ...exempt.map((t) => tx('LegalReference', `Operación exenta de IVA (causa ${t.exemption})`))) : null;
  const invoice = el('Invoice', header, issue, taxes, withheld, totals, items, payment, literals);
  const fileHeader = el(
    'FileHeader',
    tx('SchemaVersion', '3.2.2'),
    tx('Modality', 'I'),
    tx('InvoiceIssuerType', 'EM'),
    el('Batch', tx('BatchIdentifier', cut(`${seller.taxId}${inv.number}`, 70)), tx('InvoicesCount', '1'), amount('TotalInvoicesAmount', total), amount('TotalOutstandingAmount', total), amount('TotalExecutableAmount', total), tx('InvoiceCurrencyCode', 'EUR')),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<fe:Facturae xmlns:fe="${NS}" xmlns:ds="${DS}">${fileHeader}${el('Parties', party('SellerParty', seller), party('BuyerParty', buyer))}${el('Invoices', invoice)}</fe:Facturae>`;
}
