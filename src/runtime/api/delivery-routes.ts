import type { Statement } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock';
import { DELIVERY_STATUSES, DeliveryCounts } from '../delivery/delivery-state';
import { pageOf, readCursor, readLimit, wholeList } from './paging';
import { replayDelivery, requeueDeliveries } from './replay';
import { RequestError } from '../request-error';
import type { DeliveryRow, TriggerRow } from '../store/rows';
import type { Store } from '../store/store';
import { deliveryView, triggerView } from './views';

interface DeliveryDeps {
  store: Store;
  clock: Clock;
  onChange: () => void;
}

type ListedDelivery = DeliveryRow & { event_id: number; module: string | null; destination_url: string | null };

/** The admin API for deliveries over all events: list by status and trigger, replay by filter, per-trigger health. */
export function registerDeliveryRoutes(server: FastifyInstance, deps: DeliveryDeps): void {
  const { store, clock } = deps;
  const listQueries = new Map<string, Statement>();
  const listQuery = (clauses: string[]): Statement => {
    const sql = `SELECT d.*, t.module, t.destination_url FROM deliveries d LEFT JOIN triggers t ON t.id = d.trigger_id
      WHERE ${clauses.join(' AND ')} ORDER BY d.id DESC LIMIT ?`;
    let statement = listQueries.get(sql);
    if (!statement) listQueries.set(sql, (statement = store.db.prepare(sql)));
    return statement;
  };
  const filterOf = (query: Record<string, unknown>) => {
    const { status, trigger } = query;
    if (status !== undefined && !(DELIVERY_STATUSES as readonly unknown[]).includes(status)) {
      throw new RequestError(400, `status must be one of ${DELIVERY_STATUSES.join(', ')} (stopped: paused after a 410), not ${JSON.stringify(status)}`);
    }
    if (trigger !== undefined && (typeof trigger !== 'string' || !store.sql.triggerById.get(trigger))) throw new RequestError(404, `trigger ${String(trigger)} not found`);
    return { status: status as DeliveryRow['status'] | undefined, trigger: trigger as string | undefined };
  };

  // Newest first; `before=<next>` pages back.
  server.get('/api/deliveries', async (request) => {
    const query = request.query as Record<string, string>;
    const limit = readLimit(query);
    const before = readCursor(query, 'before');
    const { status, trigger } = filterOf(query);
    const clauses = ['d.id < ?'];
    const values: unknown[] = [before ?? Number.MAX_SAFE_INTEGER];
    if (status) {
      clauses.push('d.status = ?');
      values.push(status);
    }
    if (trigger) {
      clauses.push('d.trigger_id = ?');
      values.push(trigger);
    }
    const rows = listQuery(clauses).all(...values, limit + 1) as ListedDelivery[];
    return pageOf(rows.map((row) => ({ ...deliveryView(row), eventId: row.event_id, module: row.module, destination: row.destination_url })), limit, before);
  });

  // Every dead delivery (of one trigger, or all) back in line at once, e.g. after the destination is fixed.
  server.post('/api/deliveries/replay', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.status !== 'dead') throw new RequestError(400, 'status is required and must be "dead": replay every dead delivery, e.g. {"status":"dead","trigger":"trg_…"}');
    const { trigger } = filterOf({ trigger: body.trigger });
    const dead = trigger ? store.sql.deadDeliveriesOf.all(trigger) : store.sql.deadDeliveries.all();
    if (dead.length > 0) {
      requeueDeliveries(store, clock.now(), dead);
      deps.onChange();
    }
    return reply.code(202).send({ replayed: dead.length, status: 'dead', trigger: trigger ?? null });
  });

  server.post<{ Params: { id: string } }>('/api/deliveries/:id/replay', async (request, reply) => {
    replayDelivery(store, clock, Number(request.params.id));
    deps.onChange();
    return reply.code(202).send({ replayed: Number(request.params.id) });
  });

  // Each forwarding trigger's deliveries at a glance, failing ones first (dead, then paused, then retrying).
  server.get('/api/deliveries/triggers', async () => {
    const open = new Map<string, DeliveryCounts>();
    for (const row of store.sql.openDeliveryCounts.all()) {
      const counts = open.get(row.trigger_id) ?? { pending: 0, delivered: 0, dead: 0, stopped: 0 };
      counts[row.status] = row.count;
      open.set(row.trigger_id, counts);
    }
    const items = store.sql.forwardingTriggers.all().map((trigger) => triggerHealth(store, trigger, open.get(trigger.id)));
    return wholeList(items.sort((a, b) => b.dead - a.dead || b.stopped - a.stopped || Number(b.retrying) - Number(a.retrying)));
  });
}

/** One forwarding trigger: its open deliveries by status, whether its head is being retried, and its latest failure. */
function triggerHealth(store: Store, trigger: TriggerRow, counts: Partial<DeliveryCounts> = {}) {
  const head = store.sql.headDeliveryOf.get(trigger.id);
  const dead = store.sql.lastDeliveryOf.get(trigger.id, 'dead');
  const delivered = store.sql.lastDeliveryOf.get(trigger.id, 'delivered');
  const retrying = Boolean(head && head.attempts > head.round_start && head.last_error);
  const failure = [retrying ? head : undefined, dead].filter((row): row is DeliveryRow => Boolean(row?.last_error)).sort((a, b) => b.updated_at - a.updated_at)[0];
  return {
    trigger: triggerView(trigger),
    pending: counts.pending ?? 0,
    dead: counts.dead ?? 0,
    stopped: counts.stopped ?? 0,
    retrying,
    lastFailure: failure ? { deliveryId: failure.id, status: failure.last_status, error: failure.last_error, at: new Date(failure.updated_at).toISOString() } : null,
    lastDeliveredAt: delivered?.delivered_at ? new Date(delivered.delivered_at).toISOString() : null,
  };
}
