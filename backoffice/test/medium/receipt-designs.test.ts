/**
 * Receipt design at HQ over HTTP on both engines (issue 19): HQ saves Ruiz's company design (an SVG logo,
 * header and footer lines, return policy, a promotion with dates), Madrid 1 overrides the footer; the
 * preview is the receipt our encoder → decoder draw, with the logo's dots where the till prints them;
 * publishing puts each store's effective design on the change feed (Madrid 1 with its own footer, Madrid 2
 * with the company's) and a till of Madrid 1 pulls it. Refusals (a logo that is not what it says, a
 * promotion that ends before it starts, a franchisee on another's company, a store manager writing, a
 * store of another company) write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { ReceiptDesignDataSchema } from '@tpv/shared/receipts/design';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness } from '../support/harness';
import { all } from '../../src/persistence/sql';

/** 300 × 100 user units: the left half black, the right half white. At 576 dots: 576 × 192, black up to x = 288. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100"><rect width="300" height="100" fill="#fff"/><rect width="150" height="100" fill="#000"/></svg>`;
const svgUpload = { fileName: 'logo.svg', contentType: 'image/svg+xml', dataBase64: Buffer.from(SVG).toString('base64') };

/** 40 × 10 PNG, every pixel grey 128 (half tone). */
function greyPng(): string {
  const png = new PNG({ width: 40, height: 10 });
  for (let i = 0; i < 40 * 10; i++) png.data.set([128, 128, 128, 255], i * 4);
  return PNG.sync.write(png).toString('base64');
}
const dot = (bits: Buffer, w: number, x: number, y: number) => ((bits[y * Math.ceil(w / 8) + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;

describe.each(engines)('receipt designs on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const now = Date.UTC(2026, 10, 30, 9, 0, 0);
  const clock = { now: () => now };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['receipt_design', 'change_log', 'audit_log'].map(count));
  const company = `/api/receipt-designs/${F.ruiz.id}`;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
  });
  afterAll(async () => h?.teardown());

  it('refuses bad input and foreign scope: 4xx problem+json naming the field, nothing written', async () => {
    const before = await writes();
    const cases: Array<[string, string, unknown, number, string | null]> = [
      // A "PNG" that is an SVG, a type we do not take, a promotion ending before it starts, a line too long.
      [hq, company, { logo: { ...svgUpload, contentType: 'image/png' } }, 422, 'logo.dataBase64'],
      [hq, company, { logo: { ...svgUpload, contentType: 'image/gif' } }, 400, 'logo.contentType'],
      [hq, company, { promo: { text: 'Rebajas', from: '2026-12-31', to: '2026-12-01' } }, 400, 'promo.to'],
      [hq, company, { footerLines: ['x'.repeat(49)] }, 400, 'footerLines.0'],
      // Madrid 2 is not Levante's: a store of another company.
      [hq, `/api/receipt-designs/${F.levante.id}/stores/${F.storeM2.id}`, { footerLines: ['x'] }, 422, 'storeId'],
      // Levante's manager on Ruiz's company; Madrid 1's store manager may only read.
      [levante, company, { footerLines: ['x'] }, 403, null],
      [m1, `${company}/stores/${F.storeM1.id}`, { footerLines: ['x'] }, 403, null],
    ];
    for (const [token, path, body, status, field] of cases) {
      const r = await h.api('PUT', path, { token, body });
      expect(r.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(status);
      expect(r.body.type).toMatch(/^https:\/\/tpv\.dev\/problems\//);
      if (field) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await h.api('POST', `${company}/publish`, { token: hq, body: {} })).status).toBe(422); // nothing saved yet
    expect((await h.api('POST', `${company}/publish`, { token: levante, body: {} })).status).toBe(403);
    expect(await writes()).toEqual(before);
  });

  it('saves the company design: the SVG logo dithered to 576 and 384 dots, half black exactly', async () => {
    const r = await h.api('PUT', company, {
      token: ruiz,
      body: {
        logo: svgUpload, headerLines: ['Abierto de 9 a 21 h'], footerLines: ['www.ruiz.test', 'Síguenos @ruiz'], returnPolicy: 'Cambios en 15 días con el ticket.',
        exchangeDays: 15, giftRefund: 'voucher', promo: { text: 'Diciembre: 2x1 en turrones', from: '2026-12-01', to: '2026-12-31' },
      },
    });
    expect(r.status).toBe(200);
    const logo = r.body.draft.logo;
    // 300 × 100 scaled to 576 across: 576 / 300 = 1,92 → 192 rows; to 384: 1,28 → 128 rows.
    expect([logo.p576.widthDots, logo.p576.heightDots, logo.p384.widthDots, logo.p384.heightDots]).toEqual([576, 192, 384, 128]);
    const bits = Buffer.from(logo.p576.bits, 'base64');
    let wrong = 0;
    for (let y = 0; y < 192; y++) for (let x = 0; x < 576; x++) if (dot(bits, 576, x, y) !== x < 288) wrong++;
    expect(wrong).toBe(0);
    expect(r.body.revision).toBe(1);
    expect(r.body.published).toBeNull();
  });

  it('a PNG in half tone is dithered to about half the dots (Floyd–Steinberg), at the paper width', async () => {
    const r = await h.api('PUT', `${company}/stores/${F.storeM2.id}`, { token: hq, body: { logo: { fileName: 'gris.png', contentType: 'image/png', dataBase64: greyPng() } } });
    expect(r.status).toBe(200);
    const p = r.body.draft.logo.p576;
    // 40 × 10 → 576 × 144 (576 / 40 = 14,4)
    expect([p.widthDots, p.heightDots]).toEqual([576, 144]);
    const bits = Buffer.from(p.bits, 'base64');
    let black = 0;
    for (let y = 0; y < 144; y++) for (let x = 0; x < 576; x++) if (dot(bits, 576, x, y)) black++;
    // Grey 128 of 255 → 127/255 = 49,8 % black; error diffusion keeps the mean within a fraction of a percent.
    expect(black / (576 * 144)).toBeGreaterThan(0.49);
    expect(black / (576 * 144)).toBeLessThan(0.51);
    // `logo: null` is "no logo at this store"; `inherit` gives it the company's again.
    expect((await h.api('PUT', `${company}/stores/${F.storeM2.id}`, { token: hq, body: { logo: null } })).body.draft.logo).toBeNull();
    const back = await h.api('PUT', `${company}/stores/${F.storeM2.id}`, { token: hq, body: { inherit: ['logo'] } });
    expect(back.status).toBe(200);
    expect(back.body.draft).toEqual({});
  });

  it('the preview is the receipt our encoder and decoder draw: the logo dots where the till prints them, lines of the design, no unknown command', async () => {
    const override = await h.api('PUT', `${company}/stores/${F.storeM1.id}`, { token: ruiz, body: { footerLines: ['Madrid 1 · Calle 1'] } });
    expect(override.status).toBe(200);
    const r = await h.api('POST', `${company}/preview`, { token: m1, body: { storeId: F.storeM1.id, columns: 48, day: '2026-12-05' } });
    expect(r.status).toBe(200);
    expect(r.body.unknownCommands).toBe(0);
    expect(r.body.logo).toEqual({ left: 8, top: 8, widthDots: 576, heightDots: 192, source: 'GS ( L' });
    const png = PNG.sync.read(Buffer.from(r.body.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
    let wrong = 0;
    for (let y = 0; y < 192; y++)
      for (let x = 0; x < 576; x++) {
        const o = ((8 + y) * png.width + 8 + x) * 4;
        if ((png.data[o]! < 128) !== x < 288) wrong++;
      }
    expect(wrong).toBe(0);
    const text: string = r.body.text;
    expect(text).toContain('Abierto de 9 a 21 h');
    expect(text).toContain('Madrid 1 · Calle 1');
    expect(text).not.toContain('www.ruiz.test');
    expect(text).toContain('Cambios en 15 días con el ticket.');
    expect(text).toContain('Diciembre: 2x1 en turrones');
    // Before the promotion starts it is not printed; on 58 mm paper the logo is 384 dots.
    const early = await h.api('POST', `${company}/preview`, { token: hq, body: { storeId: F.storeM2.id, columns: 32, day: '2026-11-30' } });
    expect(early.body.text).not.toContain('turrones');
    expect(early.body.text).toContain('www.ruiz.test');
    expect(early.body.logo).toMatchObject({ widthDots: 384, heightDots: 128 });
  });

  it('the live preview of fields typed but not saved: laid over the draft it edits, nothing written; a bad field is named', async () => {
    const before = await writes();
    // The company's draft with a new footer and no logo; Madrid 1's override with a new header (its saved footer kept).
    const typed = await h.api('POST', `${company}/preview`, { token: ruiz, body: { columns: 48, day: '2026-12-05', design: { footerLines: ['Tecleado, sin guardar'], logo: null } } });
    expect(typed.status).toBe(200);
    expect(typed.body.text).toContain('Tecleado, sin guardar');
    expect(typed.body.text).not.toContain('www.ruiz.test');
    expect(typed.body.logo).toBeNull();
    const store = await h.api('POST', `${company}/preview`, { token: ruiz, body: { storeId: F.storeM1.id, columns: 48, day: '2026-12-05', design: { headerLines: ['Solo Madrid 1'] } } });
    expect(store.body.text).toContain('Solo Madrid 1');
    expect(store.body.text).toContain('Madrid 1 · Calle 1');
    expect(store.body.logo).toMatchObject({ widthDots: 576 });
    const bad = await h.api('POST', `${company}/preview`, { token: ruiz, body: { columns: 48, design: { headerLines: ['x'.repeat(49)] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['design.headerLines.0']);
    expect(await writes()).toEqual(before);
  });

  it('publishing: one change per store with its effective design; a till of Madrid 1 pulls its own', async () => {
    const versionBefore = Number((await all<{ v: unknown }>(h.ds.manager, 'SELECT MAX(version) AS v FROM change_log'))[0]?.v ?? 0);
    const r = await h.api('POST', `${company}/publish`, { token: ruiz, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.stores.map((s: { storeId: string }) => s.storeId).sort()).toEqual([F.storeM1.id, F.storeM2.id].sort());
    // Madrid 1's override is saved but not published yet: revision 1.0 for both.
    expect(r.body.stores.map((s: { revision: string }) => s.revision)).toEqual(['1.0', '1.0']);
    const rows = await all<{ entity_id: string; store_id: string; payload: unknown }>(h.ds.manager, 'SELECT entity_id, store_id, payload FROM change_log WHERE entity = ? AND version > ? ORDER BY store_id', ['receipt_design', versionBefore]);
    expect(rows.map((x) => [x.entity_id, x.store_id])).toEqual([F.storeM1.id, F.storeM2.id].sort().map((s) => [s, s]));
    const payloads = rows.map((x) => ReceiptDesignDataSchema.parse(typeof x.payload === 'string' ? JSON.parse(x.payload) : x.payload));
    for (const p of payloads) expect(p.footerLines).toEqual(['www.ruiz.test', 'Síguenos @ruiz']);

    const store = await h.api('POST', `${company}/publish`, { token: ruiz, body: { storeId: F.storeM1.id } });
    expect(store.body.stores).toEqual([{ storeId: F.storeM1.id, revision: '1.1', version: expect.any(Number) }]);

    const till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    try {
      const page = await pullChanges(till, versionBefore);
      const designs = page.changes.filter((c) => c.entity === 'receipt_design');
      // Only this store's (Madrid 2's change is not for Madrid 1's till); the last one wins at the till.
      expect(designs.map((c) => c.id)).toEqual([F.storeM1.id, F.storeM1.id]);
      const last = ReceiptDesignDataSchema.parse(designs[1]!.op === 'upsert' ? designs[1]!.data : null);
      expect(last.footerLines).toEqual(['Madrid 1 · Calle 1']);
      expect(last.headerLines).toEqual(['Abierto de 9 a 21 h']);
      expect(last.logo?.p576.widthDots).toBe(576);
      expect(last.exchangeDays).toBe(15);
    } finally {
      till.close();
    }
    const listed = await h.api('GET', company, { token: m1 });
    expect(listed.status).toBe(200);
    // A store manager sees their store only.
    expect(listed.body.stores.map((s: { storeId: string }) => s.storeId)).toEqual([F.storeM1.id]);
    expect(listed.body.company.publishedRevision).toBe(1);
    expect((await h.api('GET', `/api/receipt-designs/${F.levante.id}`, { token: ruiz })).status).toBe(403);
  });
});
