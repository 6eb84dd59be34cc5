/** Rows as the store returns them (JSON columns parsed). */
export interface WebhookRow {
  id: string;
  name: string;
  token: string;
  secret: string | null;
  created_at: number;
}

export interface TriggerRow {
  id: string;
  webhook_id: string;
  module: string;
  parameters: string;
  destination_url: string | null;
  signing_secret: string | null;
  stopped_reason: string | null;
  created_at: number;
  /** Deliveries this trigger may start per second at most; null when its destination sets no limit. */
  max_per_second: number | null;
  /** The last event id when the trigger was attached: it makes bundles of the events placed after it. */
  from_event: number;
}

/** Every event status; `retrying`: a module could not fetch its object from the API yet; the event waits for `retry_at`. */
export const EVENT_STATUSES = ['pending', 'retrying', 'processed', 'unrouted', 'failed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
/** What events can be listed by: a status, or `dead` for the events with a delivery that gave up. */
export const EVENT_FILTERS = [...EVENT_STATUSES, 'dead'] as const;

export interface EventRow {
  id: number;
  webhook_id: string;
  body_hash: string;
  body: Buffer;
  type: string | null;
  status: EventStatus;
  routing: string | null;
  error: string | null;
  received_at: number;
  processed_at: number | null;
  attempts: number;
  retry_at: number | null;
  /** Processing attempts begun and not finished: 1 after one crash during processing, 2 after two. */
  processing_starts: number;
  /** Where a replay placed the event in pull order (after every cursor), or null: its id is its place. */
  pull_order: number | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'stopped';

export interface DeliveryRow {
  id: number;
  event_id: number;
  trigger_id: string;
  /** The bundle's position among those its trigger makes of the event. */
  seq: number;
  message_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  updated_at: number;
  /** `attempts` when the delivery was last replayed: the retry schedule counts from here. */
  round_start: number;
  /** The bytes sent, fixed at the first attempt so every retry sends the same; null until then. */
  body: string | null;
  created_at: number;
}

/** What became of one delivery attempt, or `replayed` when a person put the delivery back in line. */
export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'replayed';

export interface DeliveryAttemptRow {
  id: number;
  delivery_id: number;
  at: number;
  outcome: AttemptOutcome;
  http_status: number | null;
  error: string | null;
}
