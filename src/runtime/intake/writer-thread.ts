import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { CHECKPOINT_EVERY_MS, LogCheckpoint, SELF_CHECKPOINT_PAGES } from '../store/log-checkpoint';
import { INTAKE_SQL } from '../store/intake-sql';
import { type IntakeItem, type Ingested, unpackBatch, type WriterCall, type WriterReply } from './writer-messages';

// The intake writer thread: commits received events on a connection of its own, so the main thread keeps reading
// and answering requests while a commit waits for the disk (the fsync is most of an event's cost at the durable
// floor). It runs only intake's statements, and between them the store's checkpoints (log-checkpoint.ts);
// everything else stays on the main thread's connection.

interface Connection {
  db: Database.Database;
  checkpoint: LogCheckpoint;
  commit: (items: IntakeItem[], now: number, windowMs: number) => Ingested[];
}

const connections = new Map<number, Connection>();

function open(file: string, sync: string): Connection {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.pragma('foreign_keys = ON');
  // The main thread's connection writes too (processing, the admin API): the one that comes second waits.
  db.pragma('busy_timeout = 5000');
  // This thread copies the log into the database file between commits, so a commit never waits for that.
  db.pragma(`wal_autocheckpoint = ${SELF_CHECKPOINT_PAGES}`);
  const seen = db.prepare<[string, string], { event_id: number; expires_at: number }>(INTAKE_SQL.seenEvent);
  const insertEvent = db.prepare(INTAKE_SQL.insertEvent);
  const insertBody = db.prepare(INTAKE_SQL.insertBody);
  const markSeen = db.prepare(INTAKE_SQL.markSeen);
  // One read and three writes per event, the whole batch one IMMEDIATE transaction: the read cannot race.
  const storeOne = (item: IntakeItem, now: number, windowMs: number): Ingested => {
    const body = Buffer.from(item.body.buffer, item.body.byteOffset, item.body.byteLength);
    const hash = createHash('sha256').update(body).digest('hex');
    const earlier = seen.get(item.webhookId, hash);
    if (earlier && earlier.expires_at > now) return { eventId: earlier.event_id, duplicate: true };
    const eventId = Number(insertEvent.run(item.webhookId, hash, item.type, now).lastInsertRowid);
    insertBody.run(eventId, body);
    markSeen.run(item.webhookId, hash, eventId, now + windowMs);
    return { eventId, duplicate: false };
  };
  const batch = db.transaction((items: IntakeItem[], now: number, windowMs: number) => items.map((item) => storeOne(item, now, windowMs)));
  return { db, checkpoint: new LogCheckpoint(db, file), commit: (items, now, windowMs) => batch.immediate(items, now, windowMs) };
}

function answer(call: WriterCall): WriterReply {
  try {
    if (call.kind === 'open') {
      connections.set(call.connection, open(call.file, call.sync));
      return { call: call.call };
    }
    const connection = connections.get(call.connection);
    if (call.kind === 'close') {
      connection?.checkpoint.close();
      connection?.db.close();
      connections.delete(call.connection);
      return { call: call.call };
    }
    if (!connection) throw new Error('the intake writer has no open connection for this store');
    return { call: call.call, results: connection.commit(unpackBatch(call.batch), call.now, call.windowMs) };
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    return { call: call.call, error: { message, code } };
  }
}

const checkpointAll = () => connections.forEach((connection) => connection.checkpoint.run());

// A checkpoint runs after a commit's answer is posted, never before it; the timer covers the main thread's writes.
parentPort?.on('message', (call: WriterCall) => {
  parentPort?.postMessage(answer(call));
  if (call.kind === 'commit') setImmediate(checkpointAll);
});
setInterval(checkpointAll, CHECKPOINT_EVERY_MS);
