/**
 * HTTP routes of rotas (thin: parse → use case). `people.read` reads a store's week; `people.write` plans,
 * removes and copies shifts, keeps named templates (save, rename, delete, apply) — all on stores in the caller's
 * scope (403 elsewhere; another store's template is 404).
 */
import * as W from '@tpv/shared/wire/http/rotas';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import type { ModuleContext } from '../../modules/types';
import type { RotaService } from './service';
import type { RotaTemplateService } from './templates';

const TAGS = ['people'];

export function rotaRoutes(c: ModuleContext, rotas: RotaService, templates: RotaTemplateService): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/rotas/week', summary: 'A store’s week: employees (contract and planned hours), shifts, and per hour the sale tickets and totals beside the people planned',
      tags: TAGS, access: 'people.read', query: W.WeekQuery, response: W.WeekOut, errors: { 404: 'no such store' },
      handler: ({ query, user }) => rotas.week(user, query.storeId, query.week),
    }),
    defineRoute({
      method: 'post', path: '/api/rotas/shifts', status: 201,
      summary: 'Plan a shift: refused whole (field errors, nothing written) if it overlaps another, leaves under 12 h rest, makes over 9 h in a day, over the contract’s weekly hours, or 6 h without a 15-min break',
      tags: TAGS, access: 'people.write', body: W.ShiftBody, response: W.ShiftOut,
      errors: { 404: 'no such store', 422: 'not staff of the store, or a rule broken (each as a field error)' },
      handler: ({ body, user, requestId }) => rotas.add(user, body, requestId),
    }),
    defineRoute({
      method: 'delete', path: '/api/rotas/shifts/:id', summary: 'Remove a planned shift', tags: TAGS, access: 'people.write',
      params: W.ShiftIdParam, response: W.ShiftDeleted, errors: { 404: 'no such shift in your scope' },
      handler: ({ params, user, requestId }) => rotas.remove(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/rotas/weeks/copy', status: 201,
      summary: 'Copy a week’s shifts of the store onto another week (the previous week, or any week kept as the template): all pass the rules or none is written',
      tags: TAGS, access: 'people.write', body: W.CopyWeekBody, response: W.CopyWeekOut,
      errors: { 404: 'no such store', 422: 'the same week, or shifts breaking the rules (`shifts[i].field`)' },
      handler: ({ body, user, requestId }) => rotas.copyWeek(user, body, requestId),
    }),

    // ── named templates ──
    defineRoute({
      method: 'get', path: '/api/rotas/templates', summary: 'A store’s named rota templates with their shifts by weekday and employee',
      tags: TAGS, access: 'people.read', query: W.TemplateListQuery, response: W.TemplateList, errors: { 404: 'no such store' },
      handler: ({ query, user }) => templates.list(user, query.storeId),
    }),
    defineRoute({
      method: 'post', path: '/api/rotas/templates', status: 201, summary: 'Save a store’s week as a named template (shifts by weekday and employee, no dates)',
      tags: TAGS, access: 'people.write', body: W.TemplateBody, response: W.TemplateOut,
      errors: { 404: 'no such store', 409: 'the store already has a template of that name', 422: 'no shifts that week' },
      handler: ({ body, user, requestId }) => templates.save(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/rotas/templates/:id', summary: 'A rota template', tags: TAGS, access: 'people.read',
      params: W.TemplateIdParam, response: W.TemplateOut, errors: { 404: 'no such template in your scope' },
      handler: ({ params, user }) => templates.get(user, params.id),
    }),
    defineRoute({
      method: 'patch', path: '/api/rotas/templates/:id', summary: 'Rename a rota template', tags: TAGS, access: 'people.write',
      params: W.TemplateIdParam, body: W.TemplateRenameBody, response: W.TemplateOut, errors: { 404: 'no such template in your scope', 409: 'name already used at the store' },
      handler: ({ params, body, user, requestId }) => templates.rename(user, params.id, body.name, requestId),
    }),
    defineRoute({
      method: 'delete', path: '/api/rotas/templates/:id', summary: 'Delete a rota template (the shifts it made stay)', tags: TAGS, access: 'people.write',
      params: W.TemplateIdParam, response: W.TemplateDeleted, errors: { 404: 'no such template in your scope' },
      handler: ({ params, user, requestId }) => templates.remove(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/rotas/templates/:id/apply', status: 201,
      summary: 'Apply a template to a week: every shift passes the rules or none is written; employees no longer at the store refused, or skipped and reported with `skipMissing`',
      tags: TAGS, access: 'people.write', params: W.TemplateIdParam, body: W.ApplyTemplateBody, response: W.ApplyTemplateOut,
      errors: { 404: 'no such template in your scope', 422: 'shifts breaking the rules or of employees no longer at the store (`shifts[i].field`, naming employee and day)' },
      handler: ({ params, body, user, requestId }) => templates.apply(user, params.id, body, requestId),
    }),
  ]);
}
