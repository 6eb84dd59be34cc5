import type { Clock } from '../clock';
import { counted } from '../delivery/delivery-state';
import { RequestError } from '../request-error';
import type { DeliveryRow, EventRow } from '../store/rows';
import type { Store } from '../store/store';

/**
 * Puts deliveries back in line now, in one transaction: each keeps its attempt history, gets a `replayed` line
 * in it and starts the retry schedule again; a trigger paused by 410 is resumed with its paused deliveries.
 */
export function requeueDeliveries(store: Store, now: number, deliveries: DeliveryRow[]): void {
  store.transaction(() => {
    for (const trigger of new Set(deliveries.map((delivery) => delivery.trigger_id))) {
      store.sql.stopTrigger.run(null, trigger);
      store.sql.resumeStopped.run(now, now, trigger);
    }
    for (const delivery of deliveries) {
      store.sql.replayDelivery.run(now, now, delivery.id);
      store.sql.insertAttempt.run(delivery.id, now, 'replayed', null, null);
    }
  });
}

/**
 * Puts one delivery back in line now: a finished one (dead, paused or delivered), or a pending one waiting for a
 * later retry (e.g. after a destination's Retry-After). One already due cannot go sooner: 409.
 */
export function replayDelivery(store: Store, clock: Clock, id: number): void {
  const delivery = store.sql.deliveryById.get(id);
  if (!delivery) throw new RequestError(404, `delivery ${id} not found`);
  const now = clock.now();
  if (delivery.status === 'pending' && (delivery.next_attempt_at ?? 0) <= now) {
    throw new RequestError(409, `delivery ${id} is already due (it goes out after the trigger's earlier deliveries)`);
  }
  requeueDeliveries(store, now, [delivery]);
}

/**
 * Puts an event back in line to be routed and mapped again, at a new place after every pull cursor (and after
 * the triggers attached since), so pullers and new triggers get its bundles. Run inside a transaction.
 */
export function requeueEvent(store: Store, eventId: number): void {
  store.sql.requeueEvent.run(eventId);
  store.sql.placeEvent.run(store.sql.nextEventPlace.get()!.seq, eventId);
}

/** What `replay event` did, in data and in words. */
export interface EventReplay {
  event: number;
  /** Whether the event goes through routing and mapping again. */
  remapped: boolean;
  /** Its dead and paused deliveries, put back in line. */
  deliveriesQueued: number;
  message: string;
}


/**
 * Replays an event: an event not processed (unrouted, failed, waiting) is routed and mapped again; a processed one
 * only when triggers were attached since (the bundles it made stay as they were), and its dead and paused
 * deliveries are sent again. When there is nothing to do, the message says why.
 */
export function replayEvent(store: Store, clock: Clock, event: EventRow): EventReplay {
  const deliveries = store.sql.deliveriesOfEvent.all(event.id);
  const failed = deliveries.filter((delivery) => delivery.status === 'dead' || delivery.status === 'stopped');
  const attachedSince = event.status === 'processed' ? store.sql.triggersOf.all(event.webhook_id).filter((trigger) => trigger.created_at > (event.processed_at ?? 0)).length : 0;
  const remapped = event.status !== 'processed' || attachedSince > 0;
  const now = clock.now();
  // Mapped again means read again: the event takes a place after every pull cursor (and after the triggers
  // attached since), so pullers and new triggers get its bundles.
  if (remapped) store.transaction(() => requeueEvent(store, event.id));
  if (failed.length > 0) requeueDeliveries(store, now, failed);
  const said: string[] = [];
  if (event.status !== 'processed') said.push(`event ${event.id} (${event.status}) is routed and mapped again`);
  else if (attachedSince > 0) said.push(`event ${event.id} is routed again for the ${counted(attachedSince, 'trigger')} attached since it was processed (its bundles stay as they are)`);
  if (failed.length > 0) said.push(`${counted(failed.length, 'dead or paused delivery', 'dead or paused deliveries')} queued again`);
  if (said.length > 0) return { event: event.id, remapped, deliveriesQueued: failed.length, message: `${said.join('; ')}.` };
  const pending = deliveries.filter((delivery) => delivery.status === 'pending').length;
  const delivered = deliveries.length - pending;
  const why = [
    'no trigger was attached since it was processed',
    deliveries.length === 0 ? 'it made no deliveries (its triggers keep bundles for pulling, or filtered it out)' : null,
    delivered > 0 ? `${counted(delivered, 'delivery', 'deliveries')} already delivered (\`replay delivery <id>\` sends one again)` : null,
    pending > 0 ? `${counted(pending, 'delivery', 'deliveries')} still pending on the retry schedule` : null,
  ].filter(Boolean);
  return { event: event.id, remapped: false, deliveriesQueued: 0, message: `nothing to send for event ${event.id}: ${why.join('; ')}.` };
}
