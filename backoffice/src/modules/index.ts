/**
 * The one list of back-office modules. Each registers its routes (and, as they arrive, jobs and reactions)
 * here; a deployment switches modules off with `TPV_MODULES_OFF=stock,reports` (their tables stay, their
 * routes, menu entries and jobs go).
 */
import { authRoutes } from '../auth/route';
import { masterDataRoutes } from '../catalog/route';
import { organisationRoutes } from '../organisation/route';
import { pairingRoutes } from '../pairing/route';
import { reportRoutes } from '../reports/route';
import { reviewRoutes } from '../review/route';
import { stockRoutes } from '../stock/route';
import { ticketRoutes } from '../tickets/route';
import type { BackofficeModule, ModuleContext } from './types';

export type { BackofficeModule, ModuleContext } from './types';

export const BACKOFFICE_MODULES: readonly BackofficeModule[] = [
  { id: 'auth', core: true, permissionModules: ['users'], routes: (c) => [authRoutes(c.ds, c.clock, c.throttle, { modules: c.enabledModules, permissionModules: c.permissionModules })] },
  { id: 'organisation', routes: (c) => [organisationRoutes(c.ds, c.clock)] },
  {
    id: 'terminals',
    routes: (c) => [pairingRoutes(c.ds, c.clock, c.throttle, { onRevoked: (id) => c.live.gateway?.disconnectTerminal(id), onPaired: (id) => c.live.gateway?.disconnectTerminal(id) })],
  },
  { id: 'catalog', permissionModules: ['prices', 'customers', 'notices', 'staff'], routes: (c) => [masterDataRoutes(c.ds, c.clock, c.masterData)] },
  {
    id: 'reports',
    permissionModules: ['network'],
    routes: (c) => [reportRoutes(c.ds, c.clock, () => c.live.gateway?.connectedTerminalIds() ?? [], (id) => c.ingest.highestSeenSeq(id))],
  },
  { id: 'stock', routes: (c) => [stockRoutes(c.ds, c.clock)] },
  { id: 'tickets', routes: (c) => [ticketRoutes(c.ds, c.clock)] },
  {
    id: 'review',
    // A till stops resending a batch refused for good until its next connection: after HQ decides on it, make one.
    routes: (c) => [reviewRoutes(c.ds, c.clock, c.ingest, { onDecided: (item) => item.kind === 'batch' && c.live.gateway?.disconnectTerminal(item.terminalId) })],
  },
];

/** The modules of this deployment: all but those switched off (core ones cannot be). */
export function enabledModules(off: readonly string[] = []): BackofficeModule[] {
  const unknown = off.filter((id) => !BACKOFFICE_MODULES.some((m) => m.id === id));
  if (unknown.length) throw new Error(`TPV_MODULES_OFF names unknown modules: ${unknown.join(', ')} (known: ${BACKOFFICE_MODULES.map((m) => m.id).join(', ')})`);
  return BACKOFFICE_MODULES.filter((m) => m.core || !off.includes(m.id));
}

/** Permission prefixes a set of modules covers (a module's own id plus the ones its pages use). */
export function permissionModulesOf(modules: readonly BackofficeModule[]): string[] {
  return [...new Set(modules.flatMap((m) => [m.id, ...(m.permissionModules ?? [])]))];
}

export const routesOf = (modules: readonly BackofficeModule[], ctx: ModuleContext) => modules.flatMap((m) => m.routes(ctx));
