import type Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** How often the intake writer thread looks at the log between commits. */
export const CHECKPOINT_EVERY_MS = 100;

/** The log frames (pages) past which the intake writer thread copies the log into the database file (1 MB). */
export const CHECKPOINT_FRAMES = 256;

/**
 * Log pages past which a committing connection checkpoints by itself (SQLite's wal_autocheckpoint): far above what
 * the intake writer thread lets pile up, so it only bounds the log if that thread falls behind, and lets the log
 * start over (a checkpoint racing a busy writer never catches up with the log's end by itself).
 */
export const SELF_CHECKPOINT_PAGES = 10_000;

// The wal-index header in the -shm file, in the machine's byte order (sqlite.org/walformat.html): the frames in
// the log (mxFrame, at byte 16) and those already copied into the database file (nBackfill, at byte 96).
const MX_FRAME = 16;
const N_BACKFILL = 96;
const readU32 = endianness() === 'LE' ? (bytes: Buffer, offset: number) => bytes.readUInt32LE(offset) : (bytes: Buffer, offset: number) => bytes.readUInt32BE(offset);

/**
 * Copies a store's write-ahead log into its database file (a PASSIVE checkpoint, which never blocks a writer or a
 * reader) once CHECKPOINT_FRAMES of it wait, run by the intake writer thread between its commits, so that neither
 * a commit nor the main thread waits for that copy and its fsync. A checkpoint that copies anything ends with an
 * fsync of the database file, which a trickle of small commits would otherwise pay each time.
 */
export class LogCheckpoint {
  private fd: number | undefined;
  private readonly header = Buffer.alloc(N_BACKFILL + 4);

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Checkpoints if enough of the log waits; never throws (a missed one is done by a later call). */
  run(): void {
    if (this.framesToCopy() < CHECKPOINT_FRAMES) return;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Another checkpoint under way, or a store going away: a later call, or the connections' own, cover it.
    }
  }

  /** Releases the wal-index file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  // Frames written since the last checkpoint; 0 while the wal-index cannot be read (no log yet).
  private framesToCopy(): number {
    try {
      this.fd ??= openSync(`${this.file}-shm`, 'r');
      if (readSync(this.fd, this.header, 0, this.header.length, 0) < this.header.length) return 0;
      return Math.max(0, readU32(this.header, MX_FRAME) - readU32(this.header, N_BACKFILL));
    } catch {
      return 0;
    }
  }
}
