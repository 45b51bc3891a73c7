// Liveness, readiness (database reachable, migrations applied) and Prometheus metrics.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { requireBearerToken } from '../http/bearer-token.ts';

export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, string> = {};
    try {
      await ctx.db.raw('select 1');
      checks.database = 'ok';
      const pending = await pendingMigrations(ctx.db);
      checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
    } catch (error) {
      req.log.warn({ err: error }, 'readiness check failed');
      checks.database ??= 'unreachable';
    }
    const ready = Object.values(checks).every((v) => v === 'ok') && checks.migrations !== undefined;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  // Metrics name routes, job types and volumes: not for the public internet, so no token, no route (404).
  const metricsToken = ctx.config.METRICS_TOKEN;
  if (metricsToken) {
    router.get('/metrics', requireBearerToken(metricsToken), async (_req, res) => {
      res.setHeader('content-type', ctx.metrics.registry.contentType);
      res.send(await ctx.metrics.registry.metrics());
    });
  }
  return router;
}
