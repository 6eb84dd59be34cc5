import type { AppDefinition } from '../definition/types';
import { ApiError } from '../http/api-error';
import { ApiAccess, fetchForModule } from '../mapping/enrich';
import { mapWithModule, unroutableReason } from '../mapping/map-event';
import { eventOfBody, webhookItem } from '../mapping/route';
import type { EventRow, Store, TriggerRow } from './store/store';

/** What happened to an event for one trigger, kept on the event for the API and the inspector. */
export interface TriggerRouting {
  trigger: string;
  module: string;
  bundles: number;
  invalidBundles: number;
  filtered: boolean;
  error?: string;
  /** True when the module could not fetch its object from the API; the event is tried again later. */
  retrying?: boolean;
}

/** The routing record of an event: why it was unrouted, or what each trigger made of it. */
export interface EventRouting {
  reason?: string;
  triggers: TriggerRouting[];
}

/** An event after routing: its parsed body and the triggers that watch it, or the outcome when none can. */
export type RoutedEvent =
  | { event: EventRow; body: unknown; triggers: TriggerRow[]; outcome?: undefined }
  | { event: EventRow; outcome: { status: 'unrouted' | 'failed'; routing: EventRouting } };

/** The API's answer to one trigger's module request, or why there is none. */
export type Enrichment = { ok: true; response: unknown } | { ok: false; error: string };

/** The Standard Webhooks message id of a bundle's delivery: stable across retries and re-processing. */
export function messageId(eventId: number, triggerId: string, seq: number): string {
  return `msg_${eventId}_${seq}_${triggerId}`;
}

/** Parses a stored event and finds the triggers of its webhook that watch its event type. */
export function routeEvent(store: Store, app: AppDefinition, event: EventRow): RoutedEvent {
  let body: unknown;
  try {
    body = JSON.parse(event.body.toString('utf8'));
  } catch (error) {
    return { event, outcome: { status: 'failed', routing: { reason: `stored body is not JSON: ${(error as Error).message}`, triggers: [] } } };
  }
  const unroutable = unroutableReason(app, body);
  if (unroutable) return { event, outcome: { status: 'unrouted', routing: { reason: unroutable, triggers: [] } } };
  const catalogued = eventOfBody(app, body)!;
  const triggers = store.sql.triggersOf.all(event.webhook_id).filter((trigger) => catalogued.modules.includes(trigger.module));
  if (triggers.length === 0) {
    const reason = `no trigger on this webhook watches '${catalogued.type}' (watched by ${catalogued.modules.join(', ')}); attach one and replay`;
    return { event, outcome: { status: 'unrouted', routing: { reason, triggers: [] } } };
  }
  return { event, body, triggers };
}

/** Runs the API request of every routed trigger whose module fetches its object; never rejects. */
export async function enrichEvent(app: AppDefinition, routed: RoutedEvent, access: ApiAccess): Promise<Map<string, Enrichment>> {
  const enrichments = new Map<string, Enrichment>();
  if (routed.outcome) return enrichments;
  for (const trigger of routed.triggers) {
    const module = app.modules.find((candidate) => candidate.name === trigger.module);
    if (!module?.communication) continue;
    try {
      const parameters = JSON.parse(trigger.parameters) as Record<string, unknown>;
      const response = await fetchForModule(app, module, webhookItem(app, module, routed.body), parameters, access);
      enrichments.set(trigger.id, { ok: true, response });
    } catch (error) {
      const message = error instanceof ApiError ? `${error.type}: ${error.message}` : error instanceof Error ? error.message : String(error);
      enrichments.set(trigger.id, { ok: false, error: message });
    }
  }
  return enrichments;
}

/**
 * Stores what a routed event became, in one transaction: map, validate, store the bundles and their deliveries.
 * Re-running it after a crash or a retry is harmless (bundles are unique per event, trigger and position).
 * When a module could not fetch its object, the event is kept as `retrying` until `retryScheduleMs` runs out,
 * then `failed`; bundles other triggers made are kept either way.
 */
export function applyEvent(store: Store, app: AppDefinition, routed: RoutedEvent, enrichments: Map<string, Enrichment>, now: number, retryScheduleMs: number[]): EventRouting {
  const { event } = routed;
  if (routed.outcome) return finish(store, event, routed.outcome.status, routed.outcome.routing, now);
  return store.transaction(() => {
    const routing = routed.triggers.map((trigger) => routeToTrigger(store, app, event, trigger, routed.body, enrichments.get(trigger.id), now));
    const waiting = routing.filter((entry) => entry.retrying);
    if (waiting.length > 0) {
      const attempts = event.attempts + 1;
      const what = waiting.map((entry) => `${entry.module}: ${entry.error}`).join('; ');
      if (attempts <= retryScheduleMs.length) {
        const retryAt = now + retryScheduleMs[attempts - 1];
        const error = `could not fetch from the API (attempt ${attempts} of ${retryScheduleMs.length + 1}; next at ${new Date(retryAt).toISOString()}): ${what}`;
        store.sql.retryEvent.run(JSON.stringify({ triggers: routing }), error, attempts, retryAt, now, event.id);
        return { triggers: routing };
      }
      return finish(store, event, 'failed', { reason: `gave up fetching from the API after ${attempts} attempts; replay the event to try again. ${what}`, triggers: routing }, now);
    }
    const failed = routing.some((entry) => entry.error !== undefined);
    return finish(store, event, failed ? 'failed' : 'processed', { triggers: routing }, now);
  });
}

function routeToTrigger(store: Store, app: AppDefinition, event: EventRow, trigger: TriggerRow, body: unknown, enrichment: Enrichment | undefined, now: number): TriggerRouting {
  const module = app.modules.find((candidate) => candidate.name === trigger.module);
  const base = { trigger: trigger.id, module: trigger.module, bundles: 0, invalidBundles: 0, filtered: false };
  if (!module) return { ...base, error: `module '${trigger.module}' is not in this app` };
  if (enrichment && !enrichment.ok) return { ...base, error: enrichment.error, retrying: true };
  const parameters = JSON.parse(trigger.parameters) as Record<string, unknown>;
  const result = module.communication
    ? mapWithModule(module, webhookItem(app, module, body), { parameters, response: enrichment?.response })
    : mapWithModule(module, body, { parameters });
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
