import { parseJsonBody } from '../intake/body-checks';
import { bundleCursor, DerivedBundle } from '../processing/bundle-reader';
import { DeliveryCounts, eventState } from '../delivery/delivery-state';
import type { DeliveryAttemptRow, DeliveryRow, EventRow, TriggerRow, WebhookRow } from '../store/store';
import type { WebhookSecret } from '../intake/webhook-secret';

/** The JSON shapes the API answers with; secrets are never part of them (except once, at creation). */
export function webhookView(row: WebhookRow, baseUrl: string) {
  const secret = row.secret ? (JSON.parse(row.secret) as WebhookSecret) : undefined;
  return {
    id: row.id,
    name: row.name,
    url: `${baseUrl}/hooks/${row.token}`,
    secret: secret ? (secret.kind === 'hmac' ? { kind: 'hmac', header: secret.header, encoding: secret.encoding, ...(secret.prefix ? { prefix: secret.prefix } : {}) } : { kind: 'token', header: secret.header, query: secret.query }) : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function triggerView(row: TriggerRow) {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    module: row.module,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    destination: row.destination_url ? { url: row.destination_url, maxPerSecond: row.max_per_second } : null,
    stopped: row.stopped_reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** An event in a list: its status, and `state`, the status with what became of its deliveries. */
export function eventSummaryView(row: EventRow, deliveries: DeliveryCounts) {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    type: row.type,
    status: row.status,
    state: eventState(row.status, deliveries),
    deliveryCounts: deliveries,
    error: row.error,
    receivedAt: new Date(row.received_at).toISOString(),
    processedAt: row.processed_at === null ? null : new Date(row.processed_at).toISOString(),
    attempts: row.attempts,
    retryAt: row.retry_at === null ? null : new Date(row.retry_at).toISOString(),
  };
}

/** The stored body as JSON when it parses, otherwise as text. */
export function storedBody(body: Buffer): unknown {
  try {
    return parseJsonBody(body);
  } catch {
    return body.toString('utf8');
  }
}

/** A derived bundle as the API lists it; its id is its cursor (the event's place and the bundle's position). */
export function bundleView(bundle: DerivedBundle) {
  const errors = JSON.parse(bundle.errors) as unknown[];
  return {
    id: bundleCursor(bundle),
    eventId: bundle.eventId,
    triggerId: bundle.triggerId,
    seq: bundle.seq,
    data: JSON.parse(bundle.data) as unknown,
    valid: errors.length === 0,
    errors,
    receivedAt: new Date(bundle.receivedAt).toISOString(),
  };
}

const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());

/** A delivery; `history` (oldest first) when the caller has its attempts. */
export function deliveryView(row: DeliveryRow, history?: DeliveryAttemptRow[]) {
  return {
    id: row.id,
    eventId: row.event_id,
    triggerId: row.trigger_id,
    seq: row.seq,
    webhookId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
    ...(history ? { history: history.map(attemptView) } : {}),
  };
}

export function attemptView(row: DeliveryAttemptRow) {
  return { at: iso(row.at), outcome: row.outcome, status: row.http_status, error: row.error };
}
