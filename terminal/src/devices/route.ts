/**
 * `/api/devices…`: configuration and live status of the till's printer, drawer, scanner and pole display,
 * a manager's configuration change (applied at once, no restart), test print, drawer opening, and the
 * last receipts as printed (from the printer's preview endpoint when it has one, else from the print queue).
 */
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { canPrint, type PrinterStatus } from '@tpv/drivers/ports';
import { parseOrProblem } from '@tpv/shared/problem';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { raise } from '../app/errors';
import { actor, handle } from '../app/http';
import type { AuditLog } from '../people/audit';
import type { Printing } from '../printing/printing';
import { renderReceipt } from '../printing/receipts';
import { DevicesConfigSchema, type DevicesConfig } from './config';
import type { DeviceManager } from './manager';

export interface LastReceipt {
  id: string;
  receivedAt: string;
  text: string;
  svg: string;
}

export interface DevicesRouteDeps {
  guard: RequestHandler;
  /** Absent when the process was given fixed ports (tests): status only, no configuration. */
  manager?: DeviceManager | undefined;
  printing: Printing;
  audit: AuditLog;
  columns: () => 32 | 48;
  /** Status of fixed ports, when there is no manager. */
  fixedStatus: () => Promise<Record<string, unknown>>;
  testDocument: () => ReceiptDocument;
  /** Called after the configuration changed or a device action (socket `status`). */
  onChange: () => void;
  fetchImpl?: typeof fetch;
}

const LimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) });

function requireManager(res: Response): void {
  const who = actor(res);
  if (who.role !== 'manager') raise({ code: 'MANAGER_REQUIRED', message: 'only a manager can change or operate the till devices', details: { role: who.role } });
}

const reasonOf = (s: PrinterStatus): string =>
  !s.online ? (s.error ?? 'offline') : s.coverOpen ? 'cover open' : s.paperOut ? 'paper out' : (s.error ?? 'not ready');

export function devicesRouter(d: DevicesRouteDeps): Router {
  const r = Router();
  const manager = (): DeviceManager =>
    d.manager ?? raise({ code: 'DEVICES_NOT_CONFIGURABLE', message: 'this terminal was started with fixed device ports' });

  const fullStatus = async (): Promise<Record<string, unknown>> => {
    const pendingJobs = d.printing.store.pendingCount();
    if (!d.manager) return { ...(await d.fixedStatus()), pendingJobs };
    const s = await d.manager.status();
    return { ...s, printer: { ...s.printer, pendingJobs }, pendingJobs };
  };

  r.get('/api/devices', d.guard, handle(async (_req, res) => {
    res.json(await fullStatus());
  }));

  r.put('/api/devices/config', d.guard, handle(async (req, res) => {
    requireManager(res);
    const m = manager();
    const config: DevicesConfig = parseOrProblem(DevicesConfigSchema, req.body);
    await m.update(config);
    d.audit({ action: 'devices_config', actorId: actor(res).id, details: { config } });
    d.onChange();
    res.json(await fullStatus());
  }));

  r.post('/api/devices/test-print', d.guard, handle(async (_req, res) => {
    const printer = d.manager?.printer ?? raise({ code: 'DEVICES_NOT_CONFIGURABLE', message: 'this terminal was started with fixed device ports' });
    const before = await printer.status();
    if (!canPrint(before)) raise({ code: 'PRINTER_NOT_READY', message: `printer not ready: ${reasonOf(before)}`, details: { printer: before } });
    try {
      await printer.print(d.testDocument());
    } catch (e) {
      raise({ code: 'PRINTER_NOT_READY', message: `printer did not take the page: ${(e as Error).message}` });
    }
    res.json({ printed: true, printer: await printer.status() });
  }));

  r.post('/api/devices/open-drawer', d.guard, handle(async (_req, res) => {
    requireManager(res);
    const m = manager();
    const who = actor(res);
    try {
      await m.drawer.open();
    } catch (e) {
      d.audit({ action: 'drawer_open', actorId: who.id, authorisedBy: who.id, details: { ok: false, error: (e as Error).message } });
      raise({ code: 'DRAWER_FAILED', message: `the drawer did not open: ${(e as Error).message}` });
    }
    d.audit({ action: 'drawer_open', actorId: who.id, authorisedBy: who.id, details: { ok: true, kind: m.config.drawer.kind } });
    d.onChange();
    res.json({ opened: true });
  }));

  r.get('/api/devices/last-receipts', d.guard, handle(async (req, res) => {
    const { limit } = parseOrProblem(LimitQuery, req.query, 'query');
    const p = d.manager?.config.printer;
    let previewError: string | undefined;
    if (p && p.kind !== 'none' && p.previewUrl) {
      try {
        const url = new URL(p.previewUrl);
        url.searchParams.set('limit', String(limit));
        const answer = await (d.fetchImpl ?? fetch)(url, { signal: AbortSignal.timeout(2000) });
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        const body = (await answer.json()) as { receipts?: unknown };
        const receipts = PreviewAnswer.parse(body).receipts.slice(0, limit);
        res.json({ source: 'printer', receipts });
        return;
      } catch (e) {
        previewError = `${p.previewUrl}: ${(e as Error).message}`;
      }
    }
    // No preview endpoint: what the queue sent to the printer, rendered through the same encoder/decoder.
    const receipts: LastReceipt[] = d.printing.store
      .list(50)
      .filter((j) => j.state === 'printed')
      .slice(0, limit)
      .map((j) => ({ id: j.id, receivedAt: j.printedAt ?? j.createdAt, ...renderReceipt(j.doc, d.columns()) }));
    res.json({ source: 'queue', receipts, ...(previewError ? { previewError } : {}) });
  }));

  return r;
}

const PreviewAnswer = z.object({
  receipts: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      receivedAt: z.string(),
      text: z.string(),
      svg: z.string(),
    }),
  ),
});
