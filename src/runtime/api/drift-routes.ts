import type { Statement } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { AppDefinition } from '../../definition/types';
import { catalogueEvent } from '../../mapping/route';
import { driftReport, mappedPaths } from '../drift/drift-report';
import { RequestError } from '../request-error';
import { requeueEvent } from './replay';
import type { Store } from '../store/store';

interface DriftDeps {
  store: Store;
  app: AppDefinition;
  /** False when the runtime runs with drift bookkeeping off (PLUGNPAID_DRIFT=off). */
  driftEnabled: boolean;
  onChange: () => void;
}

const REPLAYABLE = ['unrouted', 'failed'];

/** The admin API calls for confirming the app's assumptions: the drift report, mapped paths, replay by type. */
export function registerDriftRoutes(server: FastifyInstance, deps: DriftDeps): void {
  const { store, app } = deps;
  const replayable = new Map(
    REPLAYABLE.flatMap((status) => [
      [status, store.db.prepare<[string], { id: number }>(`SELECT id FROM events WHERE status = '${status}' AND type = ? ORDER BY id`)],
      [`${status}+webhook`, store.db.prepare<[string, string], { id: number }>(`SELECT id FROM events WHERE status = '${status}' AND type = ? AND webhook_id = ? ORDER BY id`)],
    ]),
  );

  server.get('/api/drift', async (request) => {
    if (!deps.driftEnabled) throw new RequestError(409, 'drift bookkeeping is off in this runtime (PLUGNPAID_DRIFT=off); restart without it to collect the report');
    const { webhook } = request.query as Record<string, unknown>;
    if (webhook !== undefined && (typeof webhook !== 'string' || webhook === '')) throw new RequestError(400, 'webhook must be a webhook id, e.g. ?webhook=wh_…');
    if (typeof webhook === 'string' && !store.sql.webhookById.get(webhook)) throw new RequestError(404, `webhook ${webhook} not found`);
    return driftReport(store, app, webhook);
  });

  server.get('/api/mapped-paths', async (request) => {
    const { type } = request.query as Record<string, unknown>;
    if (type !== undefined && typeof type !== 'string') throw new RequestError(400, 'type must be one event type');
    return { items: mappedPaths(app, type), next: null };
  });

  // Puts every event of one type and status (unrouted by default) back in line, e.g. after an alias.
  server.post('/api/events/replay', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const status = body.status ?? 'unrouted';
    if (typeof body.type !== 'string' || body.type === '') throw new RequestError(400, 'type is required: the event type to replay, e.g. {"type":"order_sent"}');
    if (typeof status !== 'string' || !REPLAYABLE.includes(status)) throw new RequestError(400, `status must be one of: ${REPLAYABLE.join(', ')}`);
    if (body.webhook !== undefined && typeof body.webhook !== 'string') throw new RequestError(400, 'webhook must be a webhook id');
    if (typeof body.webhook === 'string' && !store.sql.webhookById.get(body.webhook)) throw new RequestError(404, `webhook ${body.webhook} not found`);
    // Replaying a type this runtime cannot route would leave every event as it was while answering that it replayed them.
    if (!catalogueEvent(app, body.type)) {
      throw new RequestError(
        409,
        `this runtime does not know event type '${body.type}': it read the app's catalogue when it started. If you just added it as an alias, restart the runtime and replay again; nothing was replayed`,
      );
    }
    const events =
      typeof body.webhook === 'string'
        ? (replayable.get(`${status}+webhook`) as Statement<[string, string], { id: number }>).all(body.type, body.webhook)
        : (replayable.get(status) as Statement<[string], { id: number }>).all(body.type);
    // Each goes back in line at a new place after every pull cursor, as a single replay does.
    store.transaction(() => events.forEach(({ id }) => requeueEvent(store, id)));
    const replayed = events.length;
    if (replayed > 0) deps.onChange();
    return reply.code(202).send({ replayed, type: body.type, status, webhook: body.webhook ?? null });
  });
}
