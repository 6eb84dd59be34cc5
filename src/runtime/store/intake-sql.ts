/**
 * Intake's statements (the dedupe lookup, the event row, its body, its dedupe key): one text for the intake
 * writer's own connection (intake/writer-thread.ts) and the store's (the health probe runs them too).
 */
export const INTAKE_SQL = {
  seenEvent: 'SELECT event_id, expires_at FROM deliveries_seen WHERE webhook_id = ? AND body_hash = ?',
  insertEvent: "INSERT INTO events (webhook_id, body_hash, type, status, received_at) VALUES (?, ?, ?, 'pending', ?)",
  insertBody: 'INSERT INTO event_bodies (event_id, body) VALUES (?, ?)',
  markSeen: 'INSERT OR REPLACE INTO deliveries_seen (webhook_id, body_hash, event_id, expires_at) VALUES (?, ?, ?, ?)',
} as const;
