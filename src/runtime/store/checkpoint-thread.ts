import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { CHECKPOINT_EVERY_MS, type CheckpointCall } from './checkpoint-calls';

// The checkpoint thread: copies committed pages from the write-ahead log into the database file, on a connection
// of its own, so that neither the intake writer's commits nor the main thread wait for that copy and its fsync.
// PASSIVE never blocks a writer or a reader; what it cannot copy yet is copied on a later tick.

const connections = new Map<number, Database.Database>();

parentPort?.on('message', (call: CheckpointCall) => {
  if (call.kind === 'open') {
    const db = new Database(call.file);
    db.pragma('busy_timeout = 0');
    connections.set(call.connection, db);
  } else {
    connections.get(call.connection)?.close();
    connections.delete(call.connection);
  }
});

setInterval(() => {
  for (const [connection, db] of connections) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A store whose file went away (or another checkpoint under way): the writers' own checkpoints cover it.
      if (!db.open) connections.delete(connection);
    }
  }
}, CHECKPOINT_EVERY_MS);
