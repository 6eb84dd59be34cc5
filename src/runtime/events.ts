import { createHash } from 'node:crypto';
import type { Store } from './store/store';

/** The outcome of storing one delivery from Plug&Paid. */
export interface Ingested {
  eventId: number;
  duplicate: boolean;
}

/**
 * Commits a received event, or recognises a duplicate (same webhook, same body within the window). The
 * dedupe row and the event are written in one transaction under a primary key, so concurrent copies are safe.
 */
export function ingestEvent(store: Store, webhookId: string, body: Buffer, type: string | null, now: number, windowMs: number): Ingested {
  const hash = createHash('sha256').update(body).digest('hex');
  return store.transaction(() => {
    const { sql } = store;
    sql.forgetExpiredSeen.run(webhookId, hash, now);
    if (sql.markSeen.run(webhookId, hash, now + windowMs).changes === 0) {
      return { eventId: sql.seenEvent.get(webhookId, hash)!.event_id, duplicate: true };
    }
    const eventId = Number(sql.insertEvent.run(webhookId, hash, body, type, now).lastInsertRowid);
    sql.linkSeen.run(eventId, webhookId, hash);
    return { eventId, duplicate: false };
  });
}
