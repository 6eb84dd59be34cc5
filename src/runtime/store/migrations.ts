/** The database schema, applied in order; `PRAGMA user_version` records how far a database has come. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    secret TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    module TEXT NOT NULL,
    parameters TEXT NOT NULL,
    destination_url TEXT,
    signing_secret TEXT,
    stopped_reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX triggers_by_webhook ON triggers(webhook_id);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    body BLOB NOT NULL,
    type TEXT,
    status TEXT NOT NULL,
    routing TEXT,
    error TEXT,
    received_at INTEGER NOT NULL,
    processed_at INTEGER
  );
  CREATE INDEX events_pending ON events(status) WHERE status = 'pending';
  CREATE INDEX events_by_webhook ON events(webhook_id, id);
  CREATE TABLE deliveries_seen (
    webhook_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, body_hash)
  );
  CREATE TABLE bundles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events(id),
    trigger_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    errors TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (event_id, trigger_id, seq)
  );
  CREATE INDEX bundles_by_trigger ON bundles(trigger_id, id);
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bundle_id INTEGER NOT NULL UNIQUE REFERENCES bundles(id),
    trigger_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    delivered_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX deliveries_open ON deliveries(trigger_id, id) WHERE status = 'pending';
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // Events whose API enrichment failed wait for a retry: how often it was tried, and when to try again.
  `
  ALTER TABLE events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN retry_at INTEGER;
  CREATE INDEX events_retrying ON events(retry_at) WHERE status = 'retrying';
  `,
  // Bodies live in their own table: an event's row changes on every status update, and rewriting a
  // kilobytes-long body with it doubled the bytes written per event.
  `
  CREATE TABLE event_bodies (event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE, body BLOB NOT NULL);
  INSERT INTO event_bodies (event_id, body) SELECT id, body FROM events;
  ALTER TABLE events DROP COLUMN body;
  `,
  // Event search: the identifiers and emails of each processed payload in a contentless FTS5 index (words only,
  // no positions: the API confirms a hit against the stored body). Events stored before it are indexed once by
  // every word of their body.
  `
  CREATE VIRTUAL TABLE event_search USING fts5(terms, content='', detail=none, contentless_delete=1);
  INSERT INTO event_search (rowid, terms) SELECT event_id, CAST(body AS TEXT) FROM event_bodies;
  `,
  // Drift bookkeeping (what real traffic tells about the app's assumptions), counted per event as it is
  // processed; unrouted and failed events are found by type for a replay of all of one type.
  `
  CREATE TABLE drift_types (
    webhook_id TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
    example_event_id INTEGER NOT NULL, PRIMARY KEY (webhook_id, type)
  ) WITHOUT ROWID;
  CREATE TABLE drift_fields (
    webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, path TEXT NOT NULL, leaf INTEGER NOT NULL, count INTEGER NOT NULL,
    example_event_id INTEGER NOT NULL, PRIMARY KEY (webhook_id, event_type, path)
  ) WITHOUT ROWID;
  CREATE TABLE drift_violations (
    webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, pointer TEXT NOT NULL, message TEXT NOT NULL, count INTEGER NOT NULL,
    example_event_id INTEGER NOT NULL, PRIMARY KEY (webhook_id, event_type, pointer, message)
  ) WITHOUT ROWID;
  CREATE INDEX events_unrouted_by_type ON events(type, webhook_id) WHERE status = 'unrouted';
  CREATE INDEX events_failed_by_type ON events(type, webhook_id) WHERE status = 'failed';
  `,
  // A processing attempt is counted (committed) before it starts and cleared when its result is stored, so an
  // event that was being processed when the runtime died is known on restart, and one that died twice is set aside.
  `
  ALTER TABLE events ADD COLUMN processing_starts INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX events_started ON events(id) WHERE processing_starts > 0;
  `,
  // Every delivery attempt and replay is kept (a replay adds to the history instead of resetting it); a replay
  // starts the retry schedule again from \`round_start\`. Dead and paused deliveries are found by trigger.
  `
  CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER,
    error TEXT
  );
  CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id, id);
  ALTER TABLE deliveries ADD COLUMN round_start INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX deliveries_failed ON deliveries(trigger_id, id) WHERE status IN ('dead', 'stopped');
  `,
  // Deliveries are listed and replayed by status, over all triggers or one (the API, the CLI, the inspector).
  `
  DROP INDEX deliveries_failed;
  CREATE INDEX deliveries_by_status ON deliveries(status, id);
  CREATE INDEX deliveries_by_trigger_status ON deliveries(trigger_id, status, id);
  `,
  // A destination with a rate limit: the deliveries per second a trigger may start at most (NULL: no limit).
  `
  ALTER TABLE triggers ADD COLUMN max_per_second REAL;
  `,
  // The raw event is the one source of truth: bundles are derived from it when read, not stored. A delivery
  // names its bundle by event, trigger and position, and fixes the bytes it sends at its first attempt (the
  // existing ones keep the bundle they were made from). A module's API answer is kept with the event, since a
  // bundle is a pure function of the event, its API answers, the app and the trigger. A trigger reads the events
  // after \`from_event\` (those received once it existed); a replay moves an event to \`pull_order\`, past
  // every cursor.
  `
  CREATE TABLE deliveries_derived (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL,
    trigger_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    delivered_at INTEGER,
    updated_at INTEGER NOT NULL,
    round_start INTEGER NOT NULL DEFAULT 0,
    body TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (event_id, trigger_id, seq)
  );
  INSERT INTO deliveries_derived
    SELECT d.id, b.event_id, d.trigger_id, b.seq, d.message_id, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
      d.delivered_at, d.updated_at, d.round_start, b.data, b.created_at
    FROM deliveries d JOIN bundles b ON b.id = d.bundle_id;
  CREATE TABLE attempts_derived (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES deliveries_derived(id),
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER,
    error TEXT
  );
  INSERT INTO attempts_derived SELECT id, delivery_id, at, outcome, http_status, error FROM delivery_attempts;
  DROP TABLE delivery_attempts;
  DROP TABLE deliveries;
  DROP TABLE bundles;
  ALTER TABLE deliveries_derived RENAME TO deliveries;
  ALTER TABLE attempts_derived RENAME TO delivery_attempts;
  CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id, id);
  CREATE INDEX deliveries_open ON deliveries(trigger_id, id) WHERE status = 'pending';
  CREATE INDEX deliveries_by_status ON deliveries(status, id);
  CREATE INDEX deliveries_by_trigger_status ON deliveries(trigger_id, status, id);
  CREATE TABLE event_fetches (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    trigger_id TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (event_id, trigger_id)
  ) WITHOUT ROWID;
  ALTER TABLE triggers ADD COLUMN from_event INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN pull_order INTEGER;
  CREATE INDEX events_replayed ON events(webhook_id, pull_order) WHERE pull_order IS NOT NULL;
  `,
];
