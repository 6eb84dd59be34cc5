import type { EventRow, TriggerRow } from './store/store';

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

/** A trigger with its parameter values parsed (once per batch, not per event). */
export type RoutedTrigger = TriggerRow & { values: Record<string, unknown> };

/** An event after routing: its parsed body and the triggers that watch it, or the outcome when none can. */
export type RoutedEvent =
  | { event: EventRow; body: unknown; triggers: RoutedTrigger[]; outcome?: undefined }
  | { event: EventRow; outcome: { status: 'unrouted' | 'failed'; routing: EventRouting } };
