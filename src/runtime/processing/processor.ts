import type { AppDefinition } from '../../definition/types';
import { ApiError } from '../../http/api-error';
import { ApiAccess, fetchForModule } from '../../mapping/enrich';
import type { SchemaViolation } from '../../mapping/bundle-validator';
import type { FieldConversion } from '../../mapping/conversions';
import { errorText, MappedBundle, mappingSteps, MappingSteps, unroutableReason } from '../../mapping/map-event';
import { boundText, TEXT_LIMITS } from '../../mapping/bounded-text';
import { eventOfBody, mappingInput, webhookItem } from '../../mapping/route';
import { parseJsonBody } from '../intake/body-checks';
import type { EventRouting, RoutedEvent, RoutedTrigger, TriggerRouting } from '../routing';
import type { EventRow, Store, TriggerRow } from '../store/store';

/** The API's answer to one trigger's module request, or why there is none. */
export type Enrichment = { ok: true; response: unknown } | { ok: false; error: string };

/** The reason an event is set aside with after it was being processed during two crashes. */
export const QUARANTINE_REASON = 'processing did not finish twice; replay to try again';

/** The Standard Webhooks message id of a bundle's delivery: stable across retries and re-processing. */
export function messageId(eventId: number, triggerId: string, seq: number): string {
  return `msg_${eventId}_${seq}_${triggerId}`;
}

/** An event's place in pull order: where a replay put it, or its id. */
export function eventPlace(event: Pick<EventRow, 'id' | 'pull_order'>): number {
  return event.pull_order ?? event.id;
}

/** Parses stored events and finds, for each, the triggers of its webhook that watch its event type. */
export function routeEvents(store: Store, app: AppDefinition, events: EventRow[], parsed?: unknown[]): RoutedEvent[] {
  // One triggers query per webhook per batch, not per event.
  const triggersOf = new Map<string, RoutedTrigger[]>();
  const webhookTriggers = (webhookId: string) => {
    let triggers = triggersOf.get(webhookId);
    if (!triggers) {
      triggers = store.sql.triggersOf.all(webhookId).map((row) => ({ ...row, values: JSON.parse(row.parameters) as Record<string, unknown> }));
      triggersOf.set(webhookId, triggers);
    }
    return triggers;
  };
  return events.map((event, index) => routeEvent(app, event, webhookTriggers, parsed?.[index]));
}

/**
 * Routes one event among the given triggers of its webhook: those whose module watches its type and that were
 * attached before the event took its place (a trigger makes bundles of the events after it, as in Make).
 */
export function routeEvent(app: AppDefinition, event: EventRow, webhookTriggers: (webhookId: string) => RoutedTrigger[], parsed: unknown): RoutedEvent {
  let body = parsed;
  if (body === undefined) {
    try {
      body = parseJsonBody(event.body);
    } catch (error) {
      return { event, outcome: { status: 'failed', routing: { reason: `stored body is not JSON: ${(error as Error).message}`, triggers: [] } } };
    }
  }
  const unroutable = unroutableReason(app, body);
  if (unroutable) return { event, outcome: { status: 'unrouted', routing: { reason: unroutable, triggers: [] } } };
  const catalogued = eventOfBody(app, body)!;
  const place = eventPlace(event);
  const triggers = webhookTriggers(event.webhook_id).filter((trigger) => catalogued.modules.includes(trigger.module) && trigger.from_event < place);
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
      const response = await fetchForModule(app, module, webhookItem(app, module, routed.body), trigger.values, access);
      enrichments.set(trigger.id, { ok: true, response });
    } catch (error) {
      const message = error instanceof ApiError ? `${error.type}: ${error.message}` : error instanceof Error ? error.message : String(error);
      enrichments.set(trigger.id, { ok: false, error: message });
    }
  }
  return enrichments;
}

/** What processing decided for one event, computed outside any transaction; `writePlan` stores it. */
export interface EventPlan {
  event: EventRow;
  status: 'processed' | 'unrouted' | 'failed' | 'retrying';
  routing: EventRouting;
  error: string | null;
  attempts: number;
  retryAt: number | null;
  bundles: Array<{ trigger: TriggerRow; seq: number; data: string; errors: string }>;
  /** True when a trigger went past a per-event limit (its routing entry says which). */
  limited: boolean;
  /** Payload values a mapping could not convert, once each (drift counts them as payload violations). */
  conversions: SchemaViolation[];
}

/** What one event may make for one trigger (bundles, and bytes of their JSON); the trigger that would go past them fails. */
export interface EventLimits {
  maxBundles: number;
  maxBytes: number;
}

/** How an event is planned: retries of API fetches and the per-event limits. */
export interface PlanOptions {
  retryScheduleMs: number[];
  limits: EventLimits;
}

/** Plans an event in one go (small events, inside the transaction that stores them). */
export function planEvent(app: AppDefinition, routed: RoutedEvent, enrichments: Map<string, Enrichment>, now: number, options: PlanOptions): EventPlan {
  const steps = planSteps(app, routed, enrichments, now, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Plans an event bundle by bundle, calling `pause` between bundles so a large event gives the event loop turns. */
export async function planEventYielding(
  app: AppDefinition,
  routed: RoutedEvent,
  enrichments: Map<string, Enrichment>,
  now: number,
  options: PlanOptions & { pause: () => Promise<void> | undefined },
): Promise<EventPlan> {
  const steps = planSteps(app, routed, enrichments, now, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await options.pause();
  }
}

/**
 * Decides what a routed event becomes: map and validate for each trigger, within the event's limits, yielding
 * after each bundle. When a module could not fetch its object, the event is `retrying` until `retryScheduleMs`
 * runs out, then `failed`; bundles other triggers made are kept either way. Pure apart from the clock value.
 */
function* planSteps(app: AppDefinition, routed: RoutedEvent, enrichments: Map<string, Enrichment>, now: number, options: PlanOptions): Generator<void, EventPlan> {
  const { event } = routed;
  const { retryScheduleMs } = options;
  const plan: EventPlan = { event, status: 'processed', routing: { triggers: [] }, error: null, attempts: event.attempts, retryAt: null, bundles: [], limited: false, conversions: [] };
  if (routed.outcome) return { ...plan, status: routed.outcome.status, routing: routed.outcome.routing, error: routed.outcome.routing.reason ?? null };
  const routing: TriggerRouting[] = [];
  // Limits count per trigger, so what a trigger makes of an event does not depend on the other triggers.
  for (const trigger of routed.triggers) routing.push(yield* mapForTrigger(app, trigger, routed.body, enrichments.get(trigger.id), plan, options.limits));
  plan.routing = { triggers: routing };
  const waiting = routing.filter((entry) => entry.retrying);
  if (waiting.length > 0) {
    const attempts = event.attempts + 1;
    const what = waiting.map((entry) => `${entry.module}: ${entry.error}`).join('; ');
    if (attempts <= retryScheduleMs.length) {
      const retryAt = now + retryScheduleMs[attempts - 1];
      const error = `could not fetch from the API (attempt ${attempts} of ${retryScheduleMs.length + 1}; next at ${new Date(retryAt).toISOString()}): ${what}`;
      return { ...plan, status: 'retrying', error, attempts, retryAt };
    }
    const reason = `gave up fetching from the API after ${attempts} attempts; replay the event to try again. ${what}`;
    return { ...plan, status: 'failed', routing: { reason, triggers: routing }, error: reason, attempts };
  }
  // A failed trigger's error is also the event's, so a reader sees why at the top, not inside the routing.
  const failures = routing.filter((entry) => entry.error !== undefined).map((entry) => `${entry.module}: ${entry.error}`);
  return failures.length > 0 ? { ...plan, status: 'failed', error: failures.join('; ') } : { ...plan, status: 'processed' };
}

function* mapForTrigger(
  app: AppDefinition,
  trigger: RoutedTrigger,
  body: unknown,
  enrichment: Enrichment | undefined,
  plan: EventPlan,
  limits: EventLimits,
): Generator<void, TriggerRouting> {
  const module = app.modules.find((candidate) => candidate.name === trigger.module);
  const base = { trigger: trigger.id, module: trigger.module, bundles: 0, invalidBundles: 0, filtered: false };
  if (!module) return { ...base, error: `module '${trigger.module}' is not in this app` };
  if (enrichment && !enrichment.ok) return { ...base, error: enrichment.error, retrying: true };
  let steps: MappingSteps;
  try {
    steps = mappingSteps(module, mappingInput(app, module, body), { parameters: trigger.values, response: enrichment?.response });
  } catch (error) {
    return { ...base, error: errorText(error) };
  }
  const { maxBundles, maxBytes } = limits;
  // Checked before any bundle is made: an order of many lines fails at once instead of after the work.
  if (steps.items.length > maxBundles) {
    plan.limited = true;
    return { ...base, error: overLimit(`more than ${maxBundles} bundles`, 'PLUGNPAID_MAX_EVENT_BUNDLES', steps) };
  }
  const made: EventPlan['bundles'] = [];
  let bytes = 0;
  let invalid = 0;
  for (const [seq, item] of steps.items.entries()) {
    let bundle: MappedBundle;
    try {
      bundle = steps.bundleOf(item);
    } catch (error) {
      return { ...base, error: errorText(error) };
    }
    // Serialising a bundle of a long order costs about a third of making it: a step of its own.
    yield;
    const data = JSON.stringify(bundle.data);
    const errors = JSON.stringify(bundle.errors);
    if (bundle.errors.length > 0) invalid += 1;
    for (const conversion of bundle.conversions) noteConversion(plan, conversion);
    bytes += Buffer.byteLength(data) + Buffer.byteLength(errors);
    // Stops as soon as the bytes pass the limit, so an event costs at most the limit in memory.
    if (bytes > maxBytes) {
      plan.limited = true;
      return { ...base, error: overLimit(`more than ${maxBytes} bytes of bundles`, 'PLUGNPAID_MAX_EVENT_BYTES', steps) };
    }
    made.push({ trigger, seq, data, errors });
    yield;
  }
  plan.bundles.push(...made);
  return { ...base, bundles: made.length, invalidBundles: invalid, filtered: steps.filtered };
}

// As a payload violation: where the payload carries the value, and what the field expected (not the value, so
// one row counts every event that sends such values).
function noteConversion(plan: EventPlan, conversion: FieldConversion): void {
  const violation = { pointer: conversion.payloadPointer ?? '', message: `${conversion.function} could not convert it for ${conversion.field.slice(1).replace(/\//g, '.')}: expected ${conversion.expected}` };
  if (!plan.conversions.some((known) => known.pointer === violation.pointer && known.message === violation.message)) plan.conversions.push(violation);
}

/** Why a trigger made no bundles for an event past a limit, and how to raise it. */
function overLimit(what: string, setting: string, steps: MappingSteps): string {
  const perLine = steps.items.length > 1 ? `; with one bundle per order line each of its ${steps.items.length} bundles carries the whole order, so turning that off also helps` : '';
  return `this event would make ${what} (the per-event limit); no bundle was kept for this trigger. Raise ${setting} and replay the event${perLine}`;
}

/** Queues the delivery of a planned bundle when its trigger forwards; harmless when already queued (a replay). */
export function queueDelivery(store: Store, eventId: number, bundle: EventPlan['bundles'][number], now: number): void {
  const { trigger, seq } = bundle;
  if (!trigger.destination_url) return;
  // A trigger stopped by 410 keeps new deliveries stopped too, until one is replayed.
  const status = trigger.stopped_reason ? 'stopped' : 'pending';
  store.sql.insertDelivery.run(eventId, trigger.id, seq, messageId(eventId, trigger.id, seq), status, now, now, now);
}

/** Keeps the API's answers a plan's modules fetched: the event's bundles are derived from them from now on. */
export function storeFetches(store: Store, eventId: number, enrichments: Map<string, Enrichment>): void {
  for (const [triggerId, enrichment] of enrichments) {
    if (enrichment.ok) store.sql.putFetch.run(eventId, triggerId, JSON.stringify(enrichment.response ?? null));
  }
}

/** Stores the event's new status, and clears its record of an unfinished processing attempt. */
export function finishPlan(store: Store, plan: EventPlan, now: number): void {
  const { event } = plan;
  const routing = JSON.stringify(boundedRouting(plan.routing));
  const error = plan.error === null ? null : boundText(plan.error, TEXT_LIMITS.error);
  if (plan.status === 'retrying') store.sql.retryEvent.run(routing, error, plan.attempts, plan.retryAt, now, event.id);
  else store.sql.finishEvent.run(plan.status, routing, error, now, event.id);
  store.sql.processingFinished.run(event.id);
}

/** A routing record with its reason and errors (which may quote sender or API text) bounded for storing. */
function boundedRouting(routing: EventRouting): EventRouting {
  const bound = (text: string) => boundText(text, TEXT_LIMITS.error);
  return {
    ...(routing.reason === undefined ? {} : { reason: bound(routing.reason) }),
    triggers: routing.triggers.map((entry) => (entry.error === undefined ? entry : { ...entry, error: bound(entry.error) })),
  };
}

/**
 * Stores what processing decided: the API answers, the deliveries to send and the event's new status. Run inside
 * a transaction; re-running it after a crash or a retry is harmless (a delivery is unique per event, trigger and
 * position).
 */
export function writePlan(store: Store, plan: EventPlan, enrichments: Map<string, Enrichment>, now: number): void {
  storeFetches(store, plan.event.id, enrichments);
  for (const bundle of plan.bundles) queueDelivery(store, plan.event.id, bundle, now);
  finishPlan(store, plan, now);
}
