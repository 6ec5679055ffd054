import { Router } from 'express';

export interface HealthDeps {
  service: string;
  version: string;
  database: () => { engine: string; location: string };
  /** Cheap round trip to the database; a failure makes `/health` answer 503 "degraded". */
  ping: () => Promise<unknown>;
  /** Extra live facts (sync state, devices) merged into the answer. */
  extra?: () => Record<string, unknown>;
}

/** The health answer and its status (503 when the database does not answer); the back office declares it as an API route. */
export async function healthReport(deps: HealthDeps): Promise<{ status: 200 | 503; body: Record<string, unknown> }> {
  let dbOk = true;
  try {
    await deps.ping();
  } catch {
    dbOk = false;
  }
  return {
    status: dbOk ? 200 : 503,
    body: {
      status: dbOk ? 'ok' : 'degraded',
      service: deps.service,
      version: deps.version,
      database: { ...deps.database(), ok: dbOk },
      uptimeSeconds: Math.round(process.uptime()),
      ...deps.extra?.(),
    },
  };
}

/** `GET /health`: liveness plus what an operator needs first (version, which database, is it answering). */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const r = await healthReport(deps);
    res.status(r.status).json(r.body);
  });
  return router;
}
