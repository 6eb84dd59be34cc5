import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { type MessagePort, parentPort, receiveMessageOnPort } from 'node:worker_threads';
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
  /** Commits several calls' events in one transaction; each call's results in its order. */
  commit: (calls: Array<{ items: IntakeItem[]; now: number; windowMs: number }>) => Ingested[][];
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
  const batch = db.transaction((calls: Array<{ items: IntakeItem[]; now: number; windowMs: number }>) =>
    calls.map(({ items, now, windowMs }) => items.map((item) => storeOne(item, now, windowMs))),
  );
  return { db, checkpoint: new LogCheckpoint(db, file), commit: (calls) => batch.immediate(calls) };
}

// A transaction takes at most this many calls (each one request loop turn's events), which bounds its memory.
const MAX_CALLS_PER_COMMIT = 64;

type CommitCall = Extract<WriterCall, { kind: 'commit' }>;

function answer(call: Exclude<WriterCall, CommitCall>): WriterReply {
  try {
    if (call.kind === 'open') {
      connections.set(call.connection, open(call.file, call.sync));
      return { call: call.call };
    }
    const connection = connections.get(call.connection);
    connection?.checkpoint.close();
    connection?.db.close();
    connections.delete(call.connection);
    return { call: call.call };
  } catch (error) {
    return { call: call.call, error: failure(error) };
  }
}

// Calls that queued up for one store while the last commit waited for its fsync share one transaction, so the
// disk never waits for the main thread to send the next batch (group commit); each call gets its own reply.
function commitAll(calls: CommitCall[]): WriterReply[] {
  try {
    const connection = connections.get(calls[0].connection);
    if (!connection) throw new Error('the intake writer has no open connection for this store');
    const results = connection.commit(calls.map((call) => ({ items: unpackBatch(call.batch), now: call.now, windowMs: call.windowMs })));
    return calls.map((call, index) => ({ call: call.call, results: results[index] }));
  } catch (error) {
    return calls.map((call) => ({ call: call.call, error: failure(error) }));
  }
}

function failure(error: unknown): { message: string; code?: string } {
  const { message, code } = error as { message: string; code?: string };
  return { message, code };
}

const checkpointAll = () => connections.forEach((connection) => connection.checkpoint.run());

/**
 * Answers `first` and every call queued behind it, in order: consecutive commits to one store together, and after
 * each transaction's answers are posted, a checkpoint if enough of the log waits, so one runs between commits
 * however long the queue stays full.
 */
function answerQueued(port: MessagePort, first: WriterCall): void {
  let group: CommitCall[] = [];
  const commitGroup = () => {
    if (group.length === 0) return;
    commitAll(group).forEach((reply) => port.postMessage(reply));
    group = [];
    checkpointAll();
  };
  for (let call: WriterCall | undefined = first; call; call = receiveMessageOnPort(port)?.message as WriterCall | undefined) {
    if (call.kind !== 'commit') {
      commitGroup();
      port.postMessage(answer(call));
      continue;
    }
    if (group.length === MAX_CALLS_PER_COMMIT || (group.length > 0 && group[0].connection !== call.connection)) commitGroup();
    group.push(call);
  }
  commitGroup();
}

// The timer covers the main thread's writes, which no commit here follows.
const port = parentPort;
port?.on('message', (call: WriterCall) => answerQueued(port, call));
setInterval(checkpointAll, CHECKPOINT_EVERY_MS);
