import type { AppDefinition } from '../definition/types';
import { mapWithModule, unroutableReason } from '../mapping/map-event';
import { catalogueEvent } from '../mapping/route';
import type { Clock } from './clock';
import type { EventRow, Store, TriggerRow } from './store/store';

/** What happened to an event for one trigger, kept on the event for the API and the inspector. */
export interface TriggerRouting {
  trigger: string;
  module: string;
  bundles: number;
  invalidBundles: number;
  filtered: boolean;
  error?: string;
}

/** The routing record of an event: why it was unrouted, or what each trigger made of it. */
export interface EventRouting {
  reason?: string;
  triggers: TriggerRouting[];
}

/** The Standard Webhooks message id of a bundle's delivery: stable across retries and re-processing. */
export function messageId(eventId: number, triggerId: string, seq: number): string {
  return `msg_${eventId}_${seq}_${triggerId}`;
}

/**
 * Processes one stored event in one transaction: route to the webhook's triggers, map, validate, store the
 * bundles and their deliveries. Re-running it after a crash is harmless (bundles are unique per event,
 * trigger and position).
 */
export function processEvent(store: Store, app: AppDefinition, clock: Clock, event: EventRow): EventRouting {
  const now = clock.now();
  let payload: unknown;
  try {
    payload = JSON.parse(event.body.toString('utf8'));
  } catch (error) {
    return finish(store, event, 'failed', { reason: `stored body is not JSON: ${(error as Error).message}`, triggers: [] }, now);
  }
  const unroutable = unroutableReason(app, payload);
  if (unroutable) return finish(store, event, 'unrouted', { reason: unroutable, triggers: [] }, now);
  const catalogued = catalogueEvent(app, (payload as { type: string }).type)!;
  const triggers = store.sql.triggersOf.all(event.webhook_id).filter((trigger) => catalogued.modules.includes(trigger.module));
  if (triggers.length === 0) {
    const reason = `no trigger on this webhook watches '${catalogued.type}' (watched by ${catalogued.modules.join(', ')}); attach one and replay`;
    return finish(store, event, 'unrouted', { reason, triggers: [] }, now);
  }
  return store.transaction(() => {
    const routing = triggers.map((trigger) => routeToTrigger(store, app, event, trigger, payload, now));
    const failed = routing.some((entry) => entry.error !== undefined);
    return finish(store, event, failed ? 'failed' : 'processed', { triggers: routing }, now);
  });
}

function routeToTrigger(store: Store, app: AppDefinition, event: EventRow, trigger: TriggerRow, payload: unknown, now: number): TriggerRouting {
  const module = app.modules.find((candidate) => candidate.name === trigger.module);
  const base = { trigger: trigger.id, module: trigger.module, bundles: 0, invalidBundles: 0, filtered: false };
  if (!module) return { ...base, error: `module '${trigger.module}' is not in this app` };
  const result = mapWithModule(module, payload, { parameters: JSON.parse(trigger.parameters) as Record<string, unknown> });
  if (!result.ok) return { ...base, error: result.error };
  result.bundles.forEach((bundle, seq) => {
    const inserted = store.sql.insertBundle.run(event.id, trigger.id, seq, JSON.stringify(bundle.data), JSON.stringify(bundle.errors), now);
    if (inserted.changes > 0 && trigger.destination_url) {
      // A trigger stopped by 410 keeps new deliveries stopped too, until one is replayed.
      const status = trigger.stopped_reason ? 'stopped' : 'pending';
      store.sql.insertDelivery.run(inserted.lastInsertRowid, trigger.id, messageId(event.id, trigger.id, seq), status, now, now);
    }
  });
  return { ...base, bundles: result.bundles.length, invalidBundles: result.bundles.filter((b) => b.errors.length > 0).length, filtered: result.filtered };
}

function finish(store: Store, event: EventRow, status: 'processed' | 'unrouted' | 'failed', routing: EventRouting, now: number): EventRouting {
  store.sql.finishEvent.run(status, JSON.stringify(routing), routing.reason ?? null, now, event.id);
  return routing;
}
