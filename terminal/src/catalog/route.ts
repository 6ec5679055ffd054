import { Router, type RequestHandler } from 'express';
import type { TerminalRepositories } from '../persistence/repositories';
import type { CatalogQueries } from './catalog';

const q = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : '');

export function catalogRouter(guard: RequestHandler, catalog: CatalogQueries, repos: TerminalRepositories): Router {
  const r = Router();
  r.get('/api/catalog/quick-keys', guard, (_req, res) => {
    res.json(catalog.quickKeys());
  });
  r.get('/api/catalog/search', guard, (req, res) => {
    res.json(
      repos.searchProducts(q(req.query.q), 30).map((p) => ({ id: p.id, sku: p.sku, name: p.name, priceCents: p.priceCents, taxRateBp: p.taxRateBp, weighed: p.weighed })),
    );
  });
  r.get('/api/customers/search', guard, (req, res) => {
    res.json(catalog.searchCustomers(q(req.query.q)));
  });
  return r;
}
