import Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { CHECKPOINT_EVERY_MS, CHECKPOINT_FRAMES, type CheckpointCall } from './checkpoint-calls';

// The checkpoint thread: copies committed pages from the write-ahead log into the database file, on a connection
// of its own, so that neither the intake writer's commits nor the main thread wait for that copy and its fsync.
// PASSIVE never blocks a writer or a reader; what it cannot copy yet is copied on a later tick.

interface Watched {
  db: Database.Database;
  shm: string;
  fd?: number;
}

const connections = new Map<number, Watched>();
// The wal-index header in the -shm file, in the machine's byte order (sqlite.org/walformat.html): the frames
// in the log (mxFrame, at byte 16) and those already copied into the database file (nBackfill, at byte 96).
const header = Buffer.alloc(100);
const u32 = (offset: number) => (endianness() === 'LE' ? header.readUInt32LE(offset) : header.readUInt32BE(offset));

// Frames written since the last checkpoint; 0 while the wal-index cannot be read (no log yet).
function framesToCopy(watched: Watched): number {
  try {
    watched.fd ??= openSync(watched.shm, 'r');
    if (readSync(watched.fd, header, 0, header.length, 0) < header.length) return 0;
    return Math.max(0, u32(16) - u32(96));
  } catch {
    return 0;
  }
}

parentPort?.on('message', (call: CheckpointCall) => {
  if (call.kind === 'open') {
    connections.set(call.connection, { db: new Database(call.file), shm: `${call.file}-shm` });
    return;
  }
  const watched = connections.get(call.connection);
  connections.delete(call.connection);
  watched?.db.close();
  if (watched?.fd !== undefined) closeSync(watched.fd);
});

// Only once enough has piled up: a checkpoint that copies anything ends with an fsync of the database file, which
// a trickle of small commits would otherwise pay every tick.
setInterval(() => {
  for (const watched of connections.values()) {
    if (framesToCopy(watched) < CHECKPOINT_FRAMES) continue;
    try {
      watched.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Another checkpoint under way, or a store going away: the next tick, or the writers' own checkpoints, cover it.
    }
  }
}, CHECKPOINT_EVERY_MS);
