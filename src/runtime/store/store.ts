import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StartError } from '../start-error';
import { createPrivateFile, FOLDER_MODE } from './data-folder';
import { SELF_CHECKPOINT_PAGES } from './log-checkpoint';
import { INTAKE_SQL } from './intake-sql';
import { MIGRATIONS } from './migrations';
import type { DeliveryAttemptRow, DeliveryRow, EventRow, EventStatus, TriggerRow, WebhookRow } from './rows';

/** How durable an acknowledged event is: FULL survives power loss, NORMAL only a process crash. */
export type SyncLevel = 'FULL' | 'NORMAL';

// PRAGMA auto_vacuum's value for INCREMENTAL.
const INCREMENTAL = 2;

const REPAIR = 'Stop the runtime and restore the file from a backup, or move it aside (with its -wal and -shm) to start with an empty store; sqlite3 FILE ".recover" can save what is readable.';

// SQLite's quick_check reads every page once (no index cross-checks): a damaged table is found at start, when
// the runtime can refuse to serve, instead of by every webhook answered 503.
function checkIntegrity(db: Database.Database, file: string): void {
  const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>).map((row) => row.quick_check).filter((row) => row !== 'ok');
  if (problems.length > 0) throw new StartError(`${file} is damaged (${problems.join('; ').replace(/\*\*\* in database main \*\*\*\s*/g, '').replace(/\s*\n\s*/g, '; ')}). ${REPAIR}`);
}

/**
 * A database made before the retention existed gets incremental vacuum once: only a VACUUM (outside any
 * transaction) switches it on, which rewrites the file. Returns what was done, or undefined when nothing was.
 */
function convertToIncrementalVacuum(db: Database.Database): string | undefined {
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return undefined;
  const started = performance.now();
  db.exec('VACUUM');
  const mb = ((db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)) / 1e6;
  return `converted the store to incremental vacuum, once, so the retention can hand freed space back (VACUUM of ${mb.toFixed(1)} MB took ${Math.round(performance.now() - started)} ms)`;
}

/** The embedded SQLite store: every runtime state change is one transaction here. */
export class Store {
  readonly db: Database.Database;
  /** The database file (its log is this name with -wal). */
  readonly file: string;
  /** What opening the store did that the person starting it should hear of (a one-time conversion). */
  readonly notices: string[] = [];
  private readonly statements;

  constructor(dataDir: string, private readonly sync: SyncLevel = 'FULL') {
    mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
    const file = (this.file = join(dataDir, 'plugnpaid.sqlite'));
    // SQLite gives the -wal and -shm files the database file's mode: created 0600, all three stay private.
    createPrivateFile(file);
    this.db = new Database(file);
    try {
      // Before the first table: a new database then hands pages freed by the retention back with incremental_vacuum.
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${sync}`);
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      // The intake writer thread copies the log into the database file, so this thread never waits for that (log-checkpoint.ts).
      this.db.pragma(`wal_autocheckpoint = ${SELF_CHECKPOINT_PAGES}`);
      checkIntegrity(this.db, file);
      this.migrate();
      const converted = convertToIncrementalVacuum(this.db);
      if (converted) this.notices.push(converted);
    } catch (error) {
      this.db.close();
      if (error instanceof StartError || !(error instanceof Database.SqliteError)) throw error;
      throw new StartError(`${error.message}: ${file}. ${REPAIR}`);
    }
    const db = this.db;
    this.statements = {
      webhookByToken: db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE token = ?'),
      webhookById: db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?'),
      webhooks: db.prepare<[string, number], WebhookRow>('SELECT * FROM webhooks WHERE id > ? ORDER BY id LIMIT ?'),
      insertWebhook: db.prepare('INSERT INTO webhooks (id, name, token, secret, created_at) VALUES (?, ?, ?, ?, ?)'),
      deleteWebhook: db.prepare('DELETE FROM webhooks WHERE id = ?'),
      triggersOf: db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE webhook_id = ? ORDER BY created_at, id'),
      triggerById: db.prepare<[string], TriggerRow>('SELECT * FROM triggers WHERE id = ?'),
      // A trigger makes bundles of the events placed after the last one stored when it was attached.
      insertTrigger: db.prepare(
        `INSERT INTO triggers (id, webhook_id, module, parameters, destination_url, signing_secret, created_at, max_per_second, from_event)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))`,
      ),
      deleteTrigger: db.prepare('DELETE FROM triggers WHERE id = ?'),
      stopTrigger: db.prepare('UPDATE triggers SET stopped_reason = ? WHERE id = ?'),
      markSeen: db.prepare(INTAKE_SQL.markSeen),
      seenEvent: db.prepare<[string, string], { event_id: number; expires_at: number }>(INTAKE_SQL.seenEvent),
      insertEvent: db.prepare(INTAKE_SQL.insertEvent),
      insertBody: db.prepare(INTAKE_SQL.insertBody),
      pendingEvents: db.prepare<[number], EventRow>(
        "SELECT e.*, b.body FROM events e JOIN event_bodies b ON b.event_id = e.id WHERE e.status = 'pending' ORDER BY e.id LIMIT ?",
      ),
      dueRetries: db.prepare<[number, number], EventRow>(
        "SELECT e.*, b.body FROM events e JOIN event_bodies b ON b.event_id = e.id WHERE e.status = 'retrying' AND e.retry_at <= ? ORDER BY e.retry_at LIMIT ?",
      ),
      nextRetryAt: db.prepare<[], { at: number | null }>("SELECT MIN(retry_at) AS at FROM events WHERE status = 'retrying'"),
      retryEvent: db.prepare("UPDATE events SET status = 'retrying', routing = ?, error = ?, attempts = ?, retry_at = ?, processed_at = ? WHERE id = ?"),
      eventById: db.prepare<[number], EventRow>('SELECT e.*, b.body FROM events e JOIN event_bodies b ON b.event_id = e.id WHERE e.id = ?'),
      finishEvent: db.prepare('UPDATE events SET status = ?, routing = ?, error = ?, processed_at = ?, retry_at = NULL WHERE id = ?'),
      requeueEvent: db.prepare("UPDATE events SET status = 'pending', error = NULL, attempts = 0, retry_at = NULL, processing_starts = 0 WHERE id = ?"),
      processingStarted: db.prepare('UPDATE events SET processing_starts = processing_starts + 1 WHERE id = ?'),
      processingFinished: db.prepare('UPDATE events SET processing_starts = 0 WHERE id = ? AND processing_starts > 0'),
      interruptedEvent: db.prepare<[], EventRow>(
        "SELECT e.*, b.body FROM events e JOIN event_bodies b ON b.event_id = e.id WHERE e.processing_starts > 0 AND e.status IN ('pending', 'retrying') ORDER BY e.id LIMIT 1",
      ),
      quarantineEvent: db.prepare("UPDATE events SET status = 'failed', routing = ?, error = ?, processed_at = ?, retry_at = NULL, processing_starts = 0 WHERE id = ?"),
      insertDelivery: db.prepare(
        'INSERT OR IGNORE INTO deliveries (event_id, trigger_id, seq, message_id, status, next_attempt_at, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      fixDeliveryBody: db.prepare('UPDATE deliveries SET body = ? WHERE id = ? AND body IS NULL'),
      fetchesOfEvent: db.prepare<[number], { trigger_id: string; response: string }>('SELECT trigger_id, response FROM event_fetches WHERE event_id = ?'),
      putFetch: db.prepare('INSERT OR REPLACE INTO event_fetches (event_id, trigger_id, response) VALUES (?, ?, ?)'),
      // A replayed event takes the next number of the events' sequence as its place: after every cursor, before later events.
      nextEventPlace: db.prepare<[], { seq: number }>("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'events' RETURNING seq"),
      placeEvent: db.prepare('UPDATE events SET pull_order = ? WHERE id = ?'),
      deliveriesOfEvent: db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE event_id = ? ORDER BY id'),
      deliveryById: db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?'),
      headDeliveries: db.prepare<[], DeliveryRow & { max_per_second: number | null }>(
        "SELECT d.*, t.max_per_second FROM deliveries d JOIN (SELECT trigger_id, MIN(id) AS id FROM deliveries WHERE status = 'pending' GROUP BY trigger_id) h ON h.id = d.id LEFT JOIN triggers t ON t.id = d.trigger_id",
      ),
      updateDelivery: db.prepare(
        'UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?, updated_at = ? WHERE id = ?',
      ),
      replayDelivery: db.prepare("UPDATE deliveries SET status = 'pending', next_attempt_at = ?, round_start = attempts, updated_at = ? WHERE id = ?"),
      resumeStopped: db.prepare(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, round_start = attempts, updated_at = ? WHERE trigger_id = ? AND status = 'stopped'",
      ),
      insertAttempt: db.prepare('INSERT INTO delivery_attempts (delivery_id, at, outcome, http_status, error) VALUES (?, ?, ?, ?, ?)'),
      attemptsOfEvent: db.prepare<[number], DeliveryAttemptRow>(
        'SELECT a.* FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.id',
      ),
      stopPending: db.prepare("UPDATE deliveries SET status = 'stopped', updated_at = ? WHERE trigger_id = ? AND status = 'pending'"),
      deliveryCountsOfEvents: db.prepare<[string], { event_id: number; status: DeliveryRow['status']; count: number }>(
        'SELECT event_id, status, COUNT(*) AS count FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY event_id, status',
      ),
      openDeliveryCounts: db.prepare<[], { trigger_id: string; status: DeliveryRow['status']; count: number }>(
        "SELECT trigger_id, status, COUNT(*) AS count FROM deliveries WHERE status IN ('pending', 'dead', 'stopped') GROUP BY trigger_id, status",
      ),
      oldestPendingEvent: db.prepare<[], { received_at: number }>("SELECT received_at FROM events WHERE status = 'pending' ORDER BY id LIMIT 1"),
      oldestPendingDelivery: db.prepare<[], { created_at: number }>(
        "SELECT created_at FROM deliveries WHERE status = 'pending' ORDER BY id LIMIT 1",
      ),
      forwardingTriggers: db.prepare<[], TriggerRow>('SELECT * FROM triggers WHERE destination_url IS NOT NULL ORDER BY created_at, id'),
      headDeliveryOf: db.prepare<[string], DeliveryRow>("SELECT * FROM deliveries WHERE trigger_id = ? AND status = 'pending' ORDER BY id LIMIT 1"),
      deadDeliveries: db.prepare<[], DeliveryRow>("SELECT * FROM deliveries WHERE status = 'dead' ORDER BY id"),
      deadDeliveriesOf: db.prepare<[string], DeliveryRow>("SELECT * FROM deliveries WHERE trigger_id = ? AND status = 'dead' ORDER BY id"),
      lastDeliveryOf: db.prepare<[string, string], DeliveryRow>('SELECT * FROM deliveries WHERE trigger_id = ? AND status = ? ORDER BY id DESC LIMIT 1'),
      setting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      putSetting: db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)'),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(version).forEach((sql, index) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${version + index + 1}`);
      })();
    });
  }

  /** A statement by name, for the repositories built on the store. */
  get sql() {
    return this.statements;
  }

  /** Runs `work` in one transaction (IMMEDIATE, so concurrent writers queue instead of failing). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /**
   * Runs `work` in one transaction that does not wait for the disk (synchronous=NORMAL for its commit): for work
   * derived from stored events, which a power loss can only send back to be done again. In WAL mode such a
   * commit survives a crash of the process, and the next FULL commit (an intake) makes it durable too, since
   * its fsync covers the whole log.
   */
  backgroundTransaction<T>(work: () => T): T {
    if (this.sync === 'NORMAL') return this.transaction(work);
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(work);
    } finally {
      this.db.pragma(`synchronous = ${this.sync}`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type { DeliveryAttemptRow, DeliveryRow, EventRow, EventStatus, TriggerRow, WebhookRow };
