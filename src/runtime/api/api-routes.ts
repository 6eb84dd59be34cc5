import type { Statement } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { AppDefinition } from '../../definition/types';
import { storedEventType } from '../../mapping/route';
import type { Clock } from '../clock';
import { registerDriftRoutes } from './drift-routes';
import type { EventIngester } from '../intake/event-ingester';
import { createTrigger, createWebhook } from './resources';
import { RequestError } from '../request-error';
import { deliveryCountsOf } from '../delivery/delivery-state';
import { registerDeliveryRoutes } from './delivery-routes';
import { replayEvent } from './replay';
import { bundlePageBytes } from './bundle-page';
import { PAGE_BYTES, pageOf, readBundleCursor, readCursor, readLimit, wholeList } from './paging';
import type { BundleReader } from '../processing/bundle-reader';
import { EVENT_FILTERS, EventRow } from '../store/rows';
import { registerSearchFunctions, searchClauses } from '../search/search-query';
import type { Store } from '../store/store';
import { bundleView, deliveryView, eventSummaryView, storedBody, triggerView, webhookView } from './views';
import type { DeliveryAttemptRow } from '../store/rows';

interface ApiDeps {
  store: Store;
  app: AppDefinition;
  clock: Clock;
  baseUrl: () => string;
  ingester: EventIngester;
  reader: BundleReader;
  /** Whether triggers may forward to loopback, private and other non-public addresses. */
  allowPrivateDestinations: boolean;
  onChange: () => void;
  /** False when drift bookkeeping is off (PLUGNPAID_DRIFT=off). */
  driftEnabled: boolean;
  /** Time one search may take before it is stopped. */
  searchBudgetMs: number;
  /** PLUGNPAID_RETENTION_DAYS: a missing event's 404 names it. */
  retentionDays: number;
}

/** The admin HTTP API under /api; `server` is the authenticated admin scope (see server.ts), not the root. */
export function registerApiRoutes(server: FastifyInstance, deps: ApiDeps): void {
  const { store, app, clock } = deps;
  registerSearchFunctions(store.db, deps.searchBudgetMs);

  // The inspector polls this list: each filter combination is prepared once (at most sixteen of them).
  const eventQueries = new Map<string, Statement>();
  const eventQuery = (clauses: string[]): Statement => {
    const sql = `SELECT * FROM events WHERE ${clauses.join(' AND ')} ORDER BY id DESC LIMIT ?`;
    let statement = eventQueries.get(sql);
    if (!statement) eventQueries.set(sql, (statement = store.db.prepare(sql)));
    return statement;
  };

  const webhookOr404 = (id: string) => {
    const webhook = store.sql.webhookById.get(id);
    if (!webhook) throw new RequestError(404, `webhook ${id} not found`);
    return webhook;
  };

  // Only the retention deletes events and no number is issued twice, so a missing one at or below the last issued
  // was pruned (or was a replay's place, from the same sequence, never an event): the 404 gives the rule, and
  // nothing is kept per pruned event.
  const lastIssued = store.db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
  const eventOr404 = (id: string) => {
    const event = store.sql.eventById.get(Number(id));
    if (event) return event;
    const issued = /^\d{1,15}$/.test(id) && Number(id) <= (lastIssued.get()?.seq ?? 0);
    const why = `: events older than the retention (PLUGNPAID_RETENTION_DAYS, ${deps.retentionDays} day${deps.retentionDays === 1 ? '' : 's'}) are removed; raise it to keep them longer`;
    throw new RequestError(404, `event ${id} not found${issued ? why : ''}`);
  };

  // The modules a trigger can use, in the app's order, with their group, parameter definitions, output schema
  // (the inspector labels bundles with its titles) and first sample.
  server.get('/api/modules', async () =>
    wholeList(
      app.modules.map((module) => ({
        name: module.name,
        label: module.label,
        description: module.description,
        group: module.group,
        events: module.events,
        parameters: module.parameters,
        output: module.output,
        sample: module.samples[0]?.payload ?? null,
      })),
    ),
  );

  server.get('/api/webhooks', async (request) => {
    const query = request.query as Record<string, string>;
    const limit = readLimit(query);
    return pageOf(store.sql.webhooks.all(query.after ?? '', limit + 1).map((row) => webhookView(row, deps.baseUrl())), limit, query.after);
  });

  server.post('/api/webhooks', async (request, reply) => {
    const body = (request.body ?? {}) as { name?: unknown; secret?: unknown; parameters?: unknown };
    const row = createWebhook(store, deps.app, clock, body);
    return reply.code(201).send(webhookView(row, deps.baseUrl()));
  });

  // Stores a module's first sample as an event of this webhook, as if the platform had sent it. The admin token
  // stands in for the webhook's signature, which a browser cannot make without holding the webhook key.
  server.post<{ Params: { id: string } }>('/api/webhooks/:id/samples', async (request, reply) => {
    webhookOr404(request.params.id);
    const name = ((request.body ?? {}) as { module?: unknown }).module;
    const module = app.modules.find((candidate) => candidate.name === name);
    if (!module?.samples[0]) throw new RequestError(400, `module must be one of: ${app.modules.map((m) => m.name).join(', ')}`);
    const body = Buffer.from(JSON.stringify(module.samples[0].payload));
    const stored = await deps.ingester.ingest(request.params.id, body, storedEventType(app, module.samples[0].payload));
    if (!stored.duplicate) deps.onChange();
    return reply.code(201).send({ event: stored.eventId, duplicate: stored.duplicate });
  });

  server.delete<{ Params: { id: string } }>('/api/webhooks/:id', async (request, reply) => {
    webhookOr404(request.params.id);
    store.sql.deleteWebhook.run(request.params.id);
    return reply.code(204).send();
  });

  // A webhook's triggers in the order the app defines its modules (then oldest first), as Make lists them.
  const moduleOrder = new Map(app.modules.map((module, index) => [module.name, index]));
  const position = (module: string) => moduleOrder.get(module) ?? moduleOrder.size;
  server.get<{ Params: { id: string } }>('/api/webhooks/:id/triggers', async (request) => {
    webhookOr404(request.params.id);
    const triggers = store.sql.triggersOf.all(request.params.id).sort((a, b) => position(a.module) - position(b.module));
    return wholeList(triggers.map(triggerView));
  });

  server.post<{ Params: { id: string } }>('/api/webhooks/:id/triggers', async (request, reply) => {
    const row = createTrigger(store, app, clock, request.params.id, (request.body ?? {}) as Record<string, unknown>, deps.allowPrivateDestinations);
    return reply.code(201).send({ ...triggerView(row), ...(row.signing_secret ? { secret: row.signing_secret } : {}) });
  });

  server.delete<{ Params: { id: string } }>('/api/triggers/:id', async (request, reply) => {
    if (!store.sql.triggerById.get(request.params.id)) throw new RequestError(404, `trigger ${request.params.id} not found`);
    store.sql.deleteTrigger.run(request.params.id);
    return reply.code(204).send();
  });

  server.get('/api/events', async (request) => {
    const query = request.query as Record<string, string>;
    const limit = readLimit(query);
    const before = readCursor(query, 'before');
    if (query.status && !(EVENT_FILTERS as readonly string[]).includes(query.status)) {
      throw new RequestError(400, `status must be one of ${EVENT_FILTERS.join(', ')}, not ${JSON.stringify(query.status)}`);
    }
    const clauses = ['id < ?'];
    const values: unknown[] = [before ?? Number.MAX_SAFE_INTEGER];
    // `dead` is not an event status but a delivery's: the events with a delivery that gave up.
    if (query.status === 'dead') clauses.push("id IN (SELECT event_id FROM deliveries WHERE status = 'dead')");
    for (const [parameter, column] of [['webhook', 'webhook_id'], ['status', 'status'], ['type', 'type']]) {
      if (!query[parameter] || (parameter === 'status' && query.status === 'dead')) continue;
      clauses.push(`${column} = ?`);
      values.push(query[parameter]);
    }
    if (query.q) {
      const search = searchClauses(query.q, Date.now() + deps.searchBudgetMs);
      clauses.push(...search.clauses);
      values.push(...search.values);
    }
    const rows = eventQuery(clauses).all(...values, limit + 1) as EventRow[];
    const counts = deliveryCountsOf(store, rows.map((row) => row.id));
    return pageOf(rows.map((row) => eventSummaryView(row, counts.get(row.id)!)), limit, before);
  });

  server.get<{ Params: { id: string } }>('/api/events/:id', async (request) => {
    const event = eventOr404(request.params.id);
    return {
      ...eventSummaryView(event, deliveryCountsOf(store, [event.id]).get(event.id)!),
      body: storedBody(event.body),
      routing: event.routing ? JSON.parse(event.routing) : null,
      // Derived now from the stored event; null while it is being processed after a crash.
      bundles: deps.reader.ofEvent(event)?.map(bundleView) ?? null,
      deliveries: deliveriesWithHistory(store, event.id),
    };
  });

  server.get<{ Params: { id: string } }>('/api/triggers/:id/bundles', async (request, reply) => {
    if (!store.sql.triggerById.get(request.params.id)) throw new RequestError(404, `trigger ${request.params.id} not found`);
    const query = request.query as Record<string, string>;
    const limit = readLimit(query);
    const trigger = store.sql.triggerById.get(request.params.id)!;
    const page = deps.reader.page(trigger, readBundleCursor(query), limit, PAGE_BYTES);
    return reply.type('application/json; charset=utf-8').send(bundlePageBytes(page));
  });

  server.post<{ Params: { id: string } }>('/api/events/:id/replay', async (request, reply) => {
    const event = eventOr404(request.params.id);
    const outcome = replayEvent(store, clock, event);
    if (outcome.remapped || outcome.deliveriesQueued > 0) deps.onChange();
    return reply.code(outcome.remapped || outcome.deliveriesQueued > 0 ? 202 : 200).send(outcome);
  });

  registerDeliveryRoutes(server, deps);
  registerDriftRoutes(server, deps);
}

/** An event's deliveries, each with its attempts and replays (oldest first). */
function deliveriesWithHistory(store: Store, eventId: number) {
  const history = new Map<number, DeliveryAttemptRow[]>();
  for (const attempt of store.sql.attemptsOfEvent.all(eventId)) history.set(attempt.delivery_id, [...(history.get(attempt.delivery_id) ?? []), attempt]);
  return store.sql.deliveriesOfEvent.all(eventId).map((row) => deliveryView(row, history.get(row.id) ?? []));
}
