/**
 * The demo franchise as plain data: deterministic (seeded PRNG), so every fresh `npm start` shows the same
 * stores, products and logins. Writers for the back-office and terminal databases live beside this file.
 */
import { catalogDetailsOf } from './demo-catalog';
import { makeEan13 } from '@tpv/shared/barcode';
import { companyNifControl } from '@tpv/shared/nif';
import { seededRandom } from '@tpv/shared/prng';

export type Role = 'cashier' | 'supervisor' | 'manager';

export interface DemoAddress { street: string; postalCode: string; city: string; province: string; country: string }
export interface DemoContact { name: string; role: string; email: string; phone: string }
export interface DemoCompany {
  id: string; kind: 'franchisor' | 'franchisee'; nif: string; legalName: string; tradeName: string; address: string;
  addr: DemoAddress; iban: string; contacts: DemoContact[];
}
type Hours = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Array<{ from: string; to: string }>>;
export interface DemoStore { id: string; code: string; companyId: string; name: string; address: string; timezone: string; addr: DemoAddress; openingHours: Hours; salesAreaM2: number }
export interface DemoWarehouse { id: string; code: string; companyId: string; name: string; address: string; addr: DemoAddress }
export interface DemoContract {
  id: string; companyId: string; startsOn: string; endsOn: string | null; royaltyBp: number; marketingFeeBp: number;
  paymentDays: number; paymentMethod: 'transfer' | 'direct_debit'; notes: string | null;
}
export interface DemoTerminal { id: string; storeId: string; code: string; name: string; installation: string }
export interface DemoCategory { id: string; name: string; sort: number }
export interface DemoProduct {
  id: string; sku: string; name: string; categoryId: string; taxRateBp: number; exemption: string | null;
  weighed: boolean; basePriceCents: number; barcodes: string[];
  /** English name and cost price (demo-catalog.ts). */
  nameEn?: string | null; costCents?: number | null;
}
export interface DemoStaff { id: string; companyId: string; storeId: string | null; code: string; name: string; role: Role; pin: string }
export type DemoUserRole = 'hq_admin' | 'hq_operations' | 'hq_accountant' | 'franchisee_manager' | 'store_manager' | 'auditor';
/** A back-office login of the demo (one of every role, printed at start-up). */
export interface DemoUser { id: string; email: string; name: string; role: DemoUserRole; companyId: string | null; storeId?: string | null; password: string }
export interface DemoCustomer { id: string; nif: string | null; name: string; email: string | null; reRegime: boolean; creditLimitCents: number }

export interface DemoFranchise {
  companies: DemoCompany[]; stores: DemoStore[]; terminals: DemoTerminal[]; categories: DemoCategory[];
  products: DemoProduct[]; storePrices: Array<{ storeId: string; productId: string; priceCents: number }>;
  staff: DemoStaff[]; users: DemoUser[]; customers: DemoCustomer[];
  warehouses: DemoWarehouse[]; contracts: DemoContract[];
}

/** Variable-measure (GS1 prefix 21: item code + weight in grams) keys of weighed articles start here. */
export const WEIGHED_PREFIX = '21';

/** Stable, readable ids for seed rows (uuid-shaped so every column that expects a uuid accepts them). */
function seedId(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${hex}`;
}

function companyNif(letter: string, seven: string): string {
  return `${letter}${seven}${companyNifControl(seven)}`;
}

const CCC_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
const cccDigit = (ten: string) => {
  const d = 11 - ([...ten].reduce((sum, ch, i) => sum + Number(ch) * CCC_WEIGHTS[i]!, 0) % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
};

/** A Spanish IBAN for bank + branch + account number: the CCC control digits, then ISO 13616 check digits (mod 97). */
export function spanishIban(bank4: string, branch4: string, account10: string): string {
  const account20 = `${bank4}${branch4}${cccDigit(`00${bank4}${branch4}`)}${cccDigit(account10)}${account10}`;
  const digits = `${account20}142800`; // "ES00" with E=14, S=28
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return `ES${String(98 - rest).padStart(2, '0')}${account20}`;
}

const line = (a: DemoAddress) => `${a.street}, ${a.postalCode} ${a.city}`;
const addr = (street: string, postalCode: string, city: string, province: string): DemoAddress => ({ street, postalCode, city, province, country: 'ES' });
const day = (...ranges: string[]) => ranges.map((r) => ({ from: r.slice(0, 5), to: r.slice(6) }));
/** Neighbourhood supermarket hours: split on weekdays in Madrid, continuous in València, Sunday morning in the centre. */
const HOURS_SPLIT: Hours = { mon: day('09:00-14:30', '17:00-21:30'), tue: day('09:00-14:30', '17:00-21:30'), wed: day('09:00-14:30', '17:00-21:30'), thu: day('09:00-14:30', '17:00-21:30'), fri: day('09:00-21:30'), sat: day('09:00-21:30'), sun: day('10:00-14:00') };
const HOURS_LONG: Hours = { mon: day('09:00-21:30'), tue: day('09:00-21:30'), wed: day('09:00-21:30'), thu: day('09:00-21:30'), fri: day('09:00-22:00'), sat: day('09:00-22:00'), sun: [] };

const CATEGORIES: Array<{ name: string; taxRateBp: number; weighed?: boolean; exemption?: string; items: string[]; sizes: string[]; price: [number, number] }> = [
  { name: 'Fruta', taxRateBp: 400, weighed: true, items: ['Manzana golden', 'Manzana roja', 'Pera conferencia', 'Plátano de Canarias', 'Naranja de mesa', 'Mandarina', 'Uva blanca', 'Melocotón', 'Kiwi', 'Fresón', 'Limón', 'Melón piel de sapo', 'Sandía', 'Piña', 'Aguacate'], sizes: ['granel'], price: [149, 549] },
  { name: 'Verdura', taxRateBp: 400, weighed: true, items: ['Tomate pera', 'Tomate rama', 'Patata', 'Cebolla', 'Pimiento rojo', 'Pimiento verde', 'Calabacín', 'Berenjena', 'Zanahoria', 'Lechuga', 'Pepino', 'Ajo', 'Puerro', 'Brócoli', 'Coliflor'], sizes: ['granel'], price: [99, 449] },
  { name: 'Carnicería', taxRateBp: 1000, weighed: true, items: ['Pechuga de pollo', 'Muslo de pollo', 'Lomo de cerdo', 'Costilla de cerdo', 'Filete de ternera', 'Carne picada mixta', 'Chuletas de cordero', 'Hamburguesa de vacuno', 'Salchichas frescas', 'Solomillo de cerdo'], sizes: ['granel'], price: [599, 2499] },
  { name: 'Pescadería', taxRateBp: 1000, weighed: true, items: ['Merluza', 'Salmón', 'Dorada', 'Lubina', 'Sardina', 'Boquerón', 'Calamar', 'Gamba', 'Mejillón', 'Bacalao'], sizes: ['granel'], price: [599, 2999] },
  { name: 'Quesos y charcutería', taxRateBp: 1000, weighed: true, items: ['Queso manchego curado', 'Queso tierno', 'Jamón serrano', 'Jamón cocido', 'Chorizo ibérico', 'Salchichón', 'Lomo embuchado', 'Pavo en lonchas'], sizes: ['granel'], price: [899, 3999] },
  { name: 'Panadería', taxRateBp: 400, items: ['Pan de barra', 'Pan integral', 'Pan de molde', 'Chapata', 'Pan de centeno', 'Picos', 'Biscotes', 'Tostadas'], sizes: ['250 g', '400 g', '800 g'], price: [45, 299] },
  { name: 'Lácteos y huevos', taxRateBp: 400, items: ['Leche entera', 'Leche semidesnatada', 'Leche desnatada', 'Huevos frescos L', 'Huevos camperos M', 'Queso fresco', 'Mantequilla', 'Nata para cocinar'], sizes: ['1 L', 'pack 6', '250 g'], price: [69, 399] },
  { name: 'Yogures y postres', taxRateBp: 1000, items: ['Yogur natural', 'Yogur griego', 'Yogur de fresa', 'Natillas', 'Flan de huevo', 'Arroz con leche', 'Cuajada', 'Kéfir'], sizes: ['pack 4', 'pack 8'], price: [99, 349] },
  { name: 'Despensa', taxRateBp: 400, items: ['Aceite de oliva virgen extra', 'Aceite de girasol', 'Arroz redondo', 'Lentejas', 'Garbanzos', 'Alubias', 'Harina de trigo', 'Espaguetis', 'Macarrones', 'Avena en copos'], sizes: ['500 g', '1 kg', '1 L', '5 L'], price: [89, 2499] },
  { name: 'Conservas', taxRateBp: 1000, items: ['Atún en aceite', 'Sardinas en tomate', 'Mejillones en escabeche', 'Tomate triturado', 'Pimientos del piquillo', 'Espárragos blancos', 'Aceitunas rellenas', 'Berberechos'], sizes: ['lata 80 g', 'lata 250 g', 'frasco 400 g'], price: [99, 599] },
  { name: 'Congelados', taxRateBp: 1000, items: ['Guisantes', 'Judías verdes', 'Pizza margarita', 'Croquetas de jamón', 'Varitas de merluza', 'Helado de vainilla', 'Patatas prefritas', 'Menestra'], sizes: ['400 g', '1 kg'], price: [129, 599] },
  { name: 'Agua', taxRateBp: 1000, items: ['Agua mineral natural', 'Agua con gas'], sizes: ['50 cl', '1,5 L', 'pack 6 x 1,5 L'], price: [25, 299] },
  { name: 'Refrescos', taxRateBp: 2100, items: ['Refresco de cola', 'Refresco de naranja', 'Refresco de limón', 'Tónica', 'Bebida isotónica', 'Té frío al limón'], sizes: ['33 cl', '2 L', 'pack 6'], price: [59, 549] },
  { name: 'Bebidas alcohólicas', taxRateBp: 2100, items: ['Cerveza rubia', 'Cerveza sin alcohol', 'Vino tinto crianza', 'Vino blanco verdejo', 'Cava brut', 'Sidra natural'], sizes: ['33 cl', '75 cl', 'pack 6'], price: [69, 1499] },
  { name: 'Droguería', taxRateBp: 2100, items: ['Detergente líquido', 'Suavizante', 'Lavavajillas a mano', 'Lejía', 'Limpiador multiusos', 'Papel higiénico', 'Papel de cocina', 'Bolsas de basura'], sizes: ['1 L', '3 L', 'pack 12'], price: [99, 1299] },
  { name: 'Higiene y belleza', taxRateBp: 2100, items: ['Gel de ducha', 'Champú', 'Pasta de dientes', 'Desodorante', 'Crema hidratante', 'Cepillo de dientes', 'Jabón de manos', 'Maquinillas de afeitar'], sizes: ['250 ml', '750 ml', 'unidad'], price: [99, 999] },
  { name: 'Higiene femenina', taxRateBp: 400, items: ['Compresas normales', 'Compresas noche', 'Tampones regular', 'Salvaslip'], sizes: ['pack 16', 'pack 32'], price: [149, 499] },
  { name: 'Prensa y libros', taxRateBp: 400, items: ['Periódico del día', 'Revista semanal', 'Libro de recetas', 'Cuaderno de pasatiempos'], sizes: ['unidad'], price: [150, 1995] },
  { name: 'Sellos y recargas', taxRateBp: 0, exemption: 'E1', items: ['Sello de correos nacional', 'Sello de correos internacional'], sizes: ['unidad'], price: [90, 190] },
];

const BRANDS = ['Sierra Clara', 'La Huerta de Ana', 'Valle Verde', 'El Molino', 'Doña Carmen', 'Mar Azul', 'Prado Alto', 'Costa Dorada', 'Tres Robles', 'San Isidro'];

export function buildDemoFranchise(opts: { seed?: number } = {}): DemoFranchise {
  const rnd = seededRandom(opts.seed ?? 20261123);

  const hq = addr('Calle de Alcalá 120', '28009', 'Madrid', 'Madrid');
  const ruizAddr = addr('Calle de Fuencarral 45', '28004', 'Madrid', 'Madrid');
  const levanteAddr = addr('Carrer de Sueca 12', '46006', 'València', 'Valencia');
  const companies: DemoCompany[] = [
    {
      id: seedId(1, 1), kind: 'franchisor', nif: companyNif('B', '8765432'), legalName: 'Mercado Verde Franquicias S.L.', tradeName: 'Mercado Verde', address: line(hq), addr: hq,
      iban: spanishIban('2100', '0418', '0200051332'),
      contacts: [
        { name: 'Isabel Ortega', role: 'Directora de expansión', email: 'expansion@mercadoverde.demo', phone: '+34 910 000 100' },
        { name: 'Tomás Herrero', role: 'Administración', email: 'administracion@mercadoverde.demo', phone: '+34 910 000 101' },
      ],
    },
    {
      id: seedId(1, 2), kind: 'franchisee', nif: companyNif('B', '1234567'), legalName: 'Alimentación Ruiz e Hijos S.L.', tradeName: 'Mercado Verde Ruiz', address: line(ruizAddr), addr: ruizAddr,
      iban: spanishIban('0049', '1500', '1234567892'),
      contacts: [
        { name: 'Antonio Ruiz', role: 'Gerente', email: 'ruiz@mercadoverde.demo', phone: '+34 600 111 222' },
        { name: 'Pilar Ruiz', role: 'Contabilidad', email: 'pilar.ruiz@alimentacionruiz.demo', phone: '+34 600 111 223' },
      ],
    },
    {
      id: seedId(1, 3), kind: 'franchisee', nif: companyNif('B', '9638527'), legalName: 'Supermercados Costa Levante S.L.', tradeName: 'Mercado Verde Levante', address: line(levanteAddr), addr: levanteAddr,
      iban: spanishIban('2038', '3325', '6000123456'),
      contacts: [{ name: 'Rosa Vidal', role: 'Gerente', email: 'levante@mercadoverde.demo', phone: '+34 655 333 444' }],
    },
  ];
  const m1 = addr('Calle de Fuencarral 45', '28004', 'Madrid', 'Madrid');
  const m2 = addr('Calle de Santa Engracia 88', '28010', 'Madrid', 'Madrid');
  const v1 = addr('Carrer de Sueca 12', '46006', 'València', 'Valencia');
  const stores: DemoStore[] = [
    { id: seedId(2, 1), code: 'M001', companyId: companies[1]!.id, name: 'Madrid Malasaña', address: line(m1), addr: m1, timezone: 'Europe/Madrid', openingHours: HOURS_SPLIT, salesAreaM2: 180 },
    { id: seedId(2, 2), code: 'M002', companyId: companies[1]!.id, name: 'Madrid Chamberí', address: line(m2), addr: m2, timezone: 'Europe/Madrid', openingHours: HOURS_SPLIT, salesAreaM2: 240 },
    { id: seedId(2, 3), code: 'V001', companyId: companies[2]!.id, name: 'València Russafa', address: line(v1), addr: v1, timezone: 'Europe/Madrid', openingHours: HOURS_LONG, salesAreaM2: 320 },
  ];
  const central = addr('Avenida de la Industria 8', '28823', 'Coslada', 'Madrid');
  const warehouses: DemoWarehouse[] = [{ id: seedId(9, 1), code: 'ALM-01', companyId: companies[0]!.id, name: 'Almacén central Coslada', address: line(central), addr: central }];
  // Every franchisee under contract: Ruiz renewed in 2025 (the earlier contract is history), Levante since 2024.
  const contracts: DemoContract[] = [
    { id: seedId(10, 1), companyId: companies[1]!.id, startsOn: '2020-03-01', endsOn: '2024-12-31', royaltyBp: 500, marketingFeeBp: 200, paymentDays: 30, paymentMethod: 'transfer', notes: 'Contrato inicial' },
    { id: seedId(10, 2), companyId: companies[1]!.id, startsOn: '2025-01-01', endsOn: '2029-12-31', royaltyBp: 450, marketingFeeBp: 150, paymentDays: 30, paymentMethod: 'direct_debit', notes: 'Renovación a cinco años' },
    { id: seedId(10, 3), companyId: companies[2]!.id, startsOn: '2024-06-01', endsOn: null, royaltyBp: 400, marketingFeeBp: 150, paymentDays: 15, paymentMethod: 'direct_debit', notes: null },
  ];
  const terminalSpecs: Array<[number, string]> = [[0, '01'], [0, '02'], [1, '01'], [2, '01']];
  const terminals: DemoTerminal[] = terminalSpecs.map(([s, code], i) => ({
    id: seedId(3, i + 1), storeId: stores[s]!.id, code, name: `Caja ${Number(code)}`, installation: `${stores[s]!.code}-${code}`,
  }));

  const categories: DemoCategory[] = CATEGORIES.map((c, i) => ({ id: seedId(4, i + 1), name: c.name, sort: i }));
  const products: DemoProduct[] = [];
  let n = 0;
  let weighedItem = 0;
  CATEGORIES.forEach((cat, ci) => {
    for (const item of cat.items) {
      const brands = cat.weighed ? [''] : BRANDS;
      for (const brand of brands) {
        for (const size of cat.sizes) {
          n++;
          const [lo, hi] = cat.price;
          // Prices end in 5 or 9 cents, as shelves do, and stay within the category's range.
          const basePriceCents = Math.max(lo, Math.round((lo + rnd() * (hi - lo)) / 10) * 10 - (rnd() < 0.5 ? 1 : 5));
          let barcodes: string[];
          if (cat.weighed) {
            weighedItem++;
            barcodes = [`${WEIGHED_PREFIX}${String(weighedItem).padStart(5, '0')}`];
          } else {
            barcodes = [makeEan13(`84${String(1000000000 + n).slice(-10)}`)];
            if (rnd() < 0.1) barcodes.push(makeEan13(`84${String(5000000000 + n).slice(-10)}`));
          }
          products.push({
            id: seedId(5, n),
            sku: `MV${String(n).padStart(6, '0')}`,
            name: [item, brand, cat.weighed ? '' : size].filter(Boolean).join(' '),
            categoryId: categories[ci]!.id,
            taxRateBp: cat.taxRateBp,
            exemption: cat.exemption ?? null,
            weighed: !!cat.weighed,
            basePriceCents,
            barcodes,
          });
          Object.assign(products[products.length - 1]!, catalogDetailsOf(products[products.length - 1]!, item, cat.weighed ? null : size, brand, n));
        }
      }
    }
  });

  // Each store prices a few articles its own way (franchisees may adjust); the rest take the base price.
  const storePrices = stores.flatMap((store) =>
    products.map((p) => ({ storeId: store.id, productId: p.id, priceCents: rnd() < 0.05 ? p.basePriceCents + 10 : p.basePriceCents })),
  );

  const staff: DemoStaff[] = [];
  let s = 0;
  const people = ['Lucía Fernández', 'Javier Gómez', 'Marta Ruiz', 'Carlos Martín', 'Ana López', 'Pablo Sánchez', 'Elena Díaz', 'Sergio Moreno', 'Laura Jiménez'];
  stores.forEach((store, si) => {
    const roles: Array<[Role, string]> = [['cashier', '1111'], ['supervisor', '2222'], ['manager', '9999']];
    roles.forEach(([role, pin], ri) => {
      s++;
      staff.push({ id: seedId(6, s), companyId: store.companyId, storeId: store.id, code: `${store.code}-${ri + 1}`, name: people[(si * 3 + ri) % people.length]!, role, pin });
    });
  });

  const users: DemoUser[] = [
    { id: seedId(7, 1), email: 'central@mercadoverde.demo', name: 'Central Mercado Verde', role: 'hq_admin', companyId: null, password: 'demo-central' },
    { id: seedId(7, 2), email: 'ruiz@mercadoverde.demo', name: 'Antonio Ruiz', role: 'franchisee_manager', companyId: companies[1]!.id, password: 'demo-ruiz' },
    { id: seedId(7, 3), email: 'levante@mercadoverde.demo', name: 'Rosa Vidal', role: 'franchisee_manager', companyId: companies[2]!.id, password: 'demo-levante' },
    // One of every other role (the HQ admin above signs in without a second factor, as the tests do).
    { id: seedId(7, 4), email: 'operaciones@mercadoverde.demo', name: 'Luis Operaciones', role: 'hq_operations', companyId: null, password: 'demo-operaciones' },
    { id: seedId(7, 5), email: 'contabilidad@mercadoverde.demo', name: 'Carmen Contable', role: 'hq_accountant', companyId: null, password: 'demo-contabilidad' },
    { id: seedId(7, 6), email: 'auditoria@mercadoverde.demo', name: 'Inés Auditora', role: 'auditor', companyId: null, password: 'demo-auditoria' },
    ...(() => {
      const store = stores.find((x) => x.companyId === companies[1]!.id)!;
      return [{ id: seedId(7, 7), email: `tienda.${store.code.toLowerCase()}@mercadoverde.demo`, name: `Encargada ${store.code}`, role: 'store_manager' as const, companyId: store.companyId, storeId: store.id, password: 'demo-tienda' }];
    })(),
  ];

  const customers: DemoCustomer[] = [
    { id: seedId(8, 1), nif: '12345678Z', name: 'Cliente de contado', email: null, reRegime: false, creditLimitCents: 0 },
    { id: seedId(8, 2), nif: companyNif('B', '4455667'), name: 'Bar El Rincón S.L.', email: 'pedidos@barelrincon.demo', reRegime: false, creditLimitCents: 150000 },
    { id: seedId(8, 3), nif: '00000000T', name: 'Frutería Pepa (recargo de equivalencia)', email: null, reRegime: true, creditLimitCents: 50000 },
    { id: seedId(8, 4), nif: companyNif('B', '7788990'), name: 'Residencia Los Olivos S.L.', email: 'compras@losolivos.demo', reRegime: false, creditLimitCents: 500000 },
  ];
  return { companies, stores, terminals, categories, products, storePrices, staff, users, customers, warehouses, contracts };
}
