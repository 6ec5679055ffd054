/** The till's inventory screens' API (Recepción, Recuento, Pedir reposición, stock nearby): logged-in staff. */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { StockDocuments } from './stock-documents';

const Qty = z.int().min(0).max(10_000_000);
const ProductId = z.string().min(1).max(64);
const ReceiptBody = z.strictObject({
  lines: z.array(z.strictObject({ productId: ProductId, received: Qty, damaged: Qty.optional(), note: z.string().max(300).optional() })).max(2_000),
});
const CountBody = z.strictObject({
  countId: z.string().min(1).max(64).optional(),
  lines: z.array(z.strictObject({ productId: ProductId, counted: Qty })).min(1, 'scan at least one product').max(20_000),
});
const RequestBody = z.strictObject({
  lines: z.array(z.strictObject({ productId: ProductId, quantity: z.int().min(1).max(1_000_000) })).min(1, 'add at least one product').max(2_000),
  note: z.string().trim().max(500).optional(),
});
const Limit = z.object({ limit: z.coerce.number().int().min(1).max(200).default(30) });

export function stockRouter(guard: RequestHandler, stock: StockDocuments): Router {
  const r = Router();
  r.get('/api/stock/delivery-notes', guard, (_req, res) => {
    res.json(stock.expectedDeliveries());
  });
  r.get('/api/stock/delivery-notes/:id', guard, (req, res) => {
    res.json(orProblem(stock.deliveryNote(String(req.params.id))));
  });
  r.post('/api/stock/delivery-notes/:id/receipt', guard, (req, res) => {
    const b = parseOrProblem(ReceiptBody, req.body);
    res.status(201).json(orProblem(stock.receiveDelivery(actor(res), String(req.params.id), b.lines)));
  });
  r.post('/api/stock/counts', guard, (req, res) => {
    res.status(201).json(orProblem(stock.submitCount(actor(res), parseOrProblem(CountBody, req.body))));
  });
  r.post('/api/stock/replenishment-requests', guard, (req, res) => {
    const b = parseOrProblem(RequestBody, req.body);
    res.status(201).json(orProblem(stock.requestReplenishment(actor(res), { lines: b.lines, ...(b.note ? { note: b.note } : {}) })));
  });
  r.get('/api/stock/documents', guard, (req, res) => {
    res.json(stock.documents(parseOrProblem(Limit, req.query, 'query').limit));
  });
  r.get('/api/stock/scan', guard, (req, res) => {
    res.json(orProblem(stock.scan(typeof req.query.code === 'string' ? req.query.code.slice(0, 100) : '')));
  });
  r.get('/api/stock/products/:productId/availability', guard, async (req, res) => {
    const reply = await stock.availability(String(req.params.productId));
    res.json(reply ? { online: true, ...reply } : { online: false });
  });
  return r;
}
