import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { requireAdminToken } from './admin-auth';
import type { RuntimeMetrics } from './metrics';

interface MetricsRouteOptions {
  adminToken: string;
  /** A token that may read /metrics and nothing else. */
  scrapeToken?: string;
  requestsPerMinute: number;
  failedSignInsPerMinute: number;
}

/**
 * `GET /metrics` in Prometheus text format, in a scope of its own: the admin token or the scrape token as a
 * Bearer token (the scrape token opens nothing else), with the admin API's rate limits and wrong-token lockout.
 */
export function registerMetricsRoute(server: FastifyInstance, metrics: RuntimeMetrics, options: MetricsRouteOptions): void {
  server.register(async (scope) => {
    await scope.register(rateLimit, { max: options.requestsPerMinute, timeWindow: 60_000 });
    const tokens = [options.adminToken, ...(options.scrapeToken ? [options.scrapeToken] : [])];
    scope.addHook('onRequest', requireAdminToken(tokens, scope.createRateLimit({ max: options.failedSignInsPerMinute, timeWindow: 60_000 })));
    scope.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.text()));
  });
}
