/** The users, sessions, TOTP and audit routes describe themselves in the OpenAPI document (schemas convert). */
import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { auditRoutes } from '../../src/audit/route';
import { authRoutes } from '../../src/auth/route';
import { openApiDocument } from '../../src/platform/api';
import { createThrottle } from '../../src/throttle/limits';

describe('users and audit routes in OpenAPI', () => {
  it('documents every route with its schemas', () => {
    const ds = {} as DataSource;
    const clock = { now: () => 0 };
    const defs = [...authRoutes(ds, clock, createThrottle(), { modules: [], permissionModules: [] }).routeDefs, ...auditRoutes(ds, clock).routeDefs];
    const doc = openApiDocument(defs, { title: 't', version: '1' }, z.object({ type: z.string() })) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/auth/login/totp', '/api/audit', '/api/users/{id}/sessions/{sessionId}']));
    expect(JSON.stringify(doc.paths['/api/auth/login']!.post)).toContain('challenge');
  });
});
