/**
 * The 200k-product catalog import figure (issue 10, must-be-true 6: `catalog_import_200k_s` ≤ 60 s): writes a
 * product file in the import-row contract's shape and times its check (preview) and apply on a DataSource,
 * through the same use cases the API's jobs and the CLI run.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DataSource } from 'typeorm';
import { applyImport, previewImport } from '@tpv/backoffice/catalog-import/service';

const FAMILIES = ['Frutas', 'Verduras', 'Bebidas', 'Lácteos', 'Panadería', 'Carnes', 'Pescados', 'Droguería', 'Perfumería', 'Conservas'];
const SUBS = ['Básicos', 'Selección', 'Ecológico', 'Importación', 'Temporada'];
const RATES = [21, 10, 4, 10, 21, 0];

/** EAN-13 from 12 digits. */
export function ean13(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return twelve + ((10 - (sum % 10)) % 10);
}

/**
 * Writes a `;`-separated CSV of `n` products (50 categories in two levels, one EAN-13 each, every third a
 * second one, prices and costs in euros with a comma). `offset` shifts SKUs and barcodes (a second file of
 * new products); `priceBump` changes every price (a file of changed products).
 */
export async function writeProductsCsv(file: string, n: number, opts: { offset?: number; priceBump?: number } = {}): Promise<void> {
  const out = createWriteStream(file);
  const offset = opts.offset ?? 0;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('sku;name;name_en;category;tax_rate;exemption;weighed;price;cost;barcodes;active\r\n');
  let buf = '';
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    const rate = RATES[i % RATES.length]!;
    const cents = 50 + ((i * 37) % 4950) + (opts.priceBump ?? 0);
    const cost = Math.floor(cents * 0.6);
    const euros = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`;
    const code = ean13(`84${String(i).padStart(10, '0')}`);
    const second = i % 3 === 0 ? `|${ean13(`20${String(i).padStart(10, '0')}`)}` : '';
    buf += `P${String(i).padStart(7, '0')};Producto ${i};Product ${i};${FAMILIES[i % 10]} > ${SUBS[Math.floor(i / 10) % 5]};${rate};${rate === 0 ? 'E1' : ''};${i % 17 === 0 ? 1 : 0};${euros(cents)};${euros(cost)};${code}${second};1\r\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  out.end();
  await once(out, 'finish');
}

export interface ImportTiming {
  /** Wall-clock seconds, check + apply. */
  seconds: number;
  /** CPU seconds this process spent (user + system): what the figure would be on an idle machine, roughly. */
  cpuSeconds: number;
  checkSeconds: number;
  applySeconds: number;
  products: number;
}

/** Times the check and the apply of `file` (all new products into `ds`). Throws if any row is refused. */
export async function timeCatalogImport(ds: DataSource, file: string, onProgress?: (phase: 'check' | 'apply', done: number, total: number | null) => void): Promise<ImportTiming> {
  const clock = { now: () => Date.now() };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const preview = await previewImport(ds, clock, { path: file }, (d, t) => onProgress?.('check', d, t));
  if (preview.errorCount > 0) throw new Error(`bench file refused: ${JSON.stringify(preview.errors.slice(0, 3))}`);
  const t1 = performance.now();
  const out = await applyImport(ds, clock, { path: file }, { actor: null, importId: `bench-${Date.now()}`, fileName: file, via: 'cli' }, (d, t) => onProgress?.('apply', d, t));
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (t2 - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, checkSeconds: (t1 - t0) / 1000, applySeconds: (t2 - t1) / 1000, products: out.counts.rows };
}

/** Generates `n` products (default 200,000) in `dir` and times their import on `ds`: the figure in seconds. */
export async function catalogImportSeconds(ds: DataSource, dir: string, n = 200_000): Promise<ImportTiming> {
  const file = `${dir}/catalog-import-${n}.csv`;
  await writeProductsCsv(file, n);
  return timeCatalogImport(ds, file);
}

/** The bench figure as `npm run bench -- backoffice` records it in bench/results/backoffice.json. */
export async function catalogImportFigure(ds: DataSource, dir: string, engineLabel = 'SQLite'): Promise<{ catalog_import_200k_s: { value: number; unit: string; conditions: string } }> {
  const t = await catalogImportSeconds(ds, dir);
  return {
    catalog_import_200k_s: {
      value: Number(t.seconds.toFixed(1)),
      unit: 's',
      conditions: `${t.products} new products (60 categories in two levels, 267k barcodes) from a ;-separated CSV into an empty ${engineLabel} catalog: check ${t.checkSeconds.toFixed(1)} s + apply ${t.applySeconds.toFixed(1)} s (one transaction, change feed included), same use cases as the API job and the CLI; ${t.cpuSeconds.toFixed(1)} CPU s`,
    },
  };
}
