/**
 * The demo's catalog details (issue 10): English names, cost prices, suppliers with their references and
 * costs, and one upcoming scheduled price change, so the catalog pages show real data. Deterministic from
 * each product's position (no draw from the franchise's random stream, whose sequence the rest relies on).
 */
import type { DemoProduct } from './demo-franchise';

const ITEM_EN: Record<string, string> = {
  'Manzana golden': 'Golden apple', 'Manzana roja': 'Red apple', 'Pera conferencia': 'Conference pear', 'Plátano de Canarias': 'Canary banana',
  'Naranja de mesa': 'Table orange', Mandarina: 'Mandarin', 'Uva blanca': 'White grapes', 'Melocotón': 'Peach', Kiwi: 'Kiwi', 'Fresón': 'Strawberries',
  'Limón': 'Lemon', 'Melón piel de sapo': 'Santa Claus melon', 'Sandía': 'Watermelon', 'Piña': 'Pineapple', Aguacate: 'Avocado',
  'Tomate pera': 'Plum tomato', 'Tomate rama': 'Vine tomato', Patata: 'Potato', Cebolla: 'Onion', 'Pimiento rojo': 'Red pepper', 'Pimiento verde': 'Green pepper',
  'Calabacín': 'Courgette', Berenjena: 'Aubergine', Zanahoria: 'Carrot', Lechuga: 'Lettuce', Pepino: 'Cucumber', Ajo: 'Garlic', Puerro: 'Leek',
  'Brócoli': 'Broccoli', Coliflor: 'Cauliflower',
  'Pechuga de pollo': 'Chicken breast', 'Muslo de pollo': 'Chicken thigh', 'Lomo de cerdo': 'Pork loin', 'Costilla de cerdo': 'Pork ribs',
  'Filete de ternera': 'Veal steak', 'Carne picada mixta': 'Mixed mince', 'Chuletas de cordero': 'Lamb chops', 'Hamburguesa de vacuno': 'Beef burger',
  'Salchichas frescas': 'Fresh sausages', 'Solomillo de cerdo': 'Pork tenderloin',
  Merluza: 'Hake', 'Salmón': 'Salmon', Dorada: 'Gilt-head bream', Lubina: 'Sea bass', Sardina: 'Sardine', 'Boquerón': 'Anchovy', Calamar: 'Squid',
  Gamba: 'Prawn', 'Mejillón': 'Mussel', Bacalao: 'Cod',
  'Queso manchego curado': 'Cured Manchego cheese', 'Queso tierno': 'Mild cheese', 'Jamón serrano': 'Serrano ham', 'Jamón cocido': 'Cooked ham',
  'Chorizo ibérico': 'Iberian chorizo', 'Salchichón': 'Salchichón sausage', 'Lomo embuchado': 'Cured pork loin', 'Pavo en lonchas': 'Sliced turkey',
  'Pan de barra': 'Baguette', 'Pan integral': 'Wholemeal bread', 'Pan de molde': 'Sliced bread', Chapata: 'Ciabatta', 'Pan de centeno': 'Rye bread',
  Picos: 'Breadsticks', Biscotes: 'Rusks', Tostadas: 'Toasts',
  'Leche entera': 'Whole milk', 'Leche semidesnatada': 'Semi-skimmed milk', 'Leche desnatada': 'Skimmed milk', 'Huevos frescos L': 'Fresh eggs L',
  'Huevos camperos M': 'Free-range eggs M', 'Queso fresco': 'Fresh cheese', Mantequilla: 'Butter', 'Nata para cocinar': 'Cooking cream',
  'Yogur natural': 'Plain yoghurt', 'Yogur griego': 'Greek yoghurt', 'Yogur de fresa': 'Strawberry yoghurt', Natillas: 'Custard', 'Flan de huevo': 'Egg flan',
  'Arroz con leche': 'Rice pudding', Cuajada: 'Curd', 'Kéfir': 'Kefir',
  'Aceite de oliva virgen extra': 'Extra virgin olive oil', 'Aceite de girasol': 'Sunflower oil', 'Arroz redondo': 'Round rice', Lentejas: 'Lentils',
  Garbanzos: 'Chickpeas', Alubias: 'Beans', 'Harina de trigo': 'Wheat flour', Espaguetis: 'Spaghetti', Macarrones: 'Macaroni', 'Avena en copos': 'Rolled oats',
  'Atún en aceite': 'Tuna in oil', 'Sardinas en tomate': 'Sardines in tomato', 'Mejillones en escabeche': 'Pickled mussels', 'Tomate triturado': 'Crushed tomato',
  'Pimientos del piquillo': 'Piquillo peppers', 'Espárragos blancos': 'White asparagus', 'Aceitunas rellenas': 'Stuffed olives', Berberechos: 'Cockles',
  Guisantes: 'Peas', 'Judías verdes': 'Green beans', 'Pizza margarita': 'Margherita pizza', 'Croquetas de jamón': 'Ham croquettes',
  'Varitas de merluza': 'Hake fingers', 'Helado de vainilla': 'Vanilla ice cream', 'Patatas prefritas': 'Oven chips', Menestra: 'Mixed vegetables',
  'Agua mineral natural': 'Still mineral water', 'Agua con gas': 'Sparkling water',
  'Refresco de cola': 'Cola', 'Refresco de naranja': 'Orange soda', 'Refresco de limón': 'Lemon soda', 'Tónica': 'Tonic water',
  'Bebida isotónica': 'Sports drink', 'Té frío al limón': 'Lemon iced tea',
  'Cerveza rubia': 'Lager', 'Cerveza sin alcohol': 'Alcohol-free beer', 'Vino tinto crianza': 'Crianza red wine', 'Vino blanco verdejo': 'Verdejo white wine',
  'Cava brut': 'Brut cava', 'Sidra natural': 'Natural cider',
  'Detergente líquido': 'Liquid detergent', Suavizante: 'Fabric softener', 'Lavavajillas a mano': 'Washing-up liquid', 'Lejía': 'Bleach',
  'Limpiador multiusos': 'All-purpose cleaner', 'Papel higiénico': 'Toilet paper', 'Papel de cocina': 'Kitchen roll', 'Bolsas de basura': 'Bin bags',
  'Gel de ducha': 'Shower gel', 'Champú': 'Shampoo', 'Pasta de dientes': 'Toothpaste', Desodorante: 'Deodorant', 'Crema hidratante': 'Moisturiser',
  'Cepillo de dientes': 'Toothbrush', 'Jabón de manos': 'Hand soap', 'Maquinillas de afeitar': 'Razors',
  'Compresas normales': 'Regular pads', 'Compresas noche': 'Night pads', 'Tampones regular': 'Regular tampons', Salvaslip: 'Panty liners',
  'Periódico del día': 'Daily newspaper', 'Revista semanal': 'Weekly magazine', 'Libro de recetas': 'Cookbook', 'Cuaderno de pasatiempos': 'Puzzle book',
  'Sello de correos nacional': 'Domestic stamp', 'Sello de correos internacional': 'International stamp',
};
const SIZE_EN: Record<string, string> = { 'pack 6 x 1,5 L': 'pack 6 x 1.5 L', '1,5 L': '1.5 L', unidad: 'each', 'lata 80 g': 'tin 80 g', 'lata 250 g': 'tin 250 g', 'frasco 400 g': 'jar 400 g' };

export interface DemoSupplier { id: string; name: string; nif: string; contactName: string; email: string; phone: string; paymentTermsDays: number }

export const sid = (n: number) => `00000000-0000-7000-800e-${n.toString(16).padStart(12, '0')}`;
export const DEMO_SUPPLIERS: DemoSupplier[] = [
  { id: sid(1), name: 'Frutas y Verduras del Levante S.A.', nif: 'A46000019', contactName: 'Vicente Soler', email: 'pedidos@fvlevante.demo', phone: '+34 961 000 111', paymentTermsDays: 30 },
  { id: sid(2), name: 'Cárnicas Sierra de Madrid S.L.', nif: 'B28000027', contactName: 'Pilar Ortega', email: 'comercial@carnicassierra.demo', phone: '+34 918 000 222', paymentTermsDays: 15 },
  { id: sid(3), name: 'Pescados Cantábrico S.L.', nif: 'B39000035', contactName: 'Iñigo Arana', email: 'ventas@pescantabrico.demo', phone: '+34 942 000 333', paymentTermsDays: 15 },
  { id: sid(4), name: 'Distribuciones Alimentarias Centro S.A.', nif: 'A28000043', contactName: 'Lorena Castro', email: 'pedidos@dacentro.demo', phone: '+34 915 000 444', paymentTermsDays: 60 },
  { id: sid(5), name: 'Bebidas Ibéricas S.L.', nif: 'B08000051', contactName: 'Jordi Puig', email: 'orders@bebidasibericas.demo', phone: '+34 933 000 555', paymentTermsDays: 45 },
  { id: sid(6), name: 'Droguería Mayorista del Sur S.L.', nif: 'B41000069', contactName: 'Rocío Márquez', email: 'pedidos@drogsur.demo', phone: '+34 954 000 666', paymentTermsDays: 60 },
];
/** Two real-format Spanish IBANs (valid check digits) shared by the demo's suppliers. */
const DEMO_IBANS = ['ES9121000418450200051332', 'ES6000491500051234567892'];
const CITY_OF_PHONE: Record<string, [string, string, string]> = {
  '96': ['46001', 'València', 'Valencia'], '91': ['28001', 'Madrid', 'Madrid'], '94': ['39001', 'Santander', 'Cantabria'], '93': ['08001', 'Barcelona', 'Barcelona'], '95': ['41001', 'Sevilla', 'Sevilla'],
};
/** A demo supplier's address, second contact, IBAN and over-receipt tolerance (purchasing, issue 11). */
export function demoSupplierMaster(s: DemoSupplier, i: number) {
  const [postalCode, city, province] = CITY_OF_PHONE[s.phone.slice(4, 6)] ?? ['28001', 'Madrid', 'Madrid'];
  return {
    addresses: [{ kind: 'billing' as const, line: `Polígono Industrial ${i + 1}, nave ${10 + i}`, postalCode, city, province, country: 'ES' }],
    contacts: [{ name: s.contactName, role: 'Comercial', email: s.email, phone: s.phone }, { name: 'Administración', role: 'Facturación', email: s.email.replace(/^[^@]+/, 'admin'), phone: null }],
    iban: DEMO_IBANS[i % DEMO_IBANS.length]!,
    overReceiptToleranceBp: i % 2 === 0 ? 500 : 200,
  };
}
/** Category name → supplier index. */
export const SUPPLIER_OF: Record<string, number> = {
  Fruta: 0, Verdura: 0, 'Carnicería': 1, 'Quesos y charcutería': 1, 'Pescadería': 2, Agua: 4, Refrescos: 4, 'Bebidas alcohólicas': 4,
  'Droguería': 5, 'Higiene y belleza': 5, 'Higiene femenina': 5,
};

/** A fraction in [0, 1) from an integer, stable across runs. */
const frac = (n: number) => ((Math.imul(n + 1, 2654435761) >>> 0) % 10_000) / 10_000;

/** English name and cost price (excl. IVA, 55–75 % of the net price) of a product. */
export function catalogDetailsOf(p: DemoProduct, item: string, size: string | null, brand: string, n: number): { nameEn: string | null; costCents: number } {
  const en = ITEM_EN[item];
  const net = p.basePriceCents / (1 + p.taxRateBp / 10_000);
  return {
    nameEn: en ? [en, brand, size ? (SIZE_EN[size] ?? size) : ''].filter(Boolean).join(' ') : null,
    costCents: Math.max(1, Math.round(net * (0.55 + 0.2 * frac(n)))),
  };
}

