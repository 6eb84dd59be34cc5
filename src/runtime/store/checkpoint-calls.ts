/** How often the checkpoint thread looks at the log. */
export const CHECKPOINT_EVERY_MS = 100;

/** The log frames (pages) past which the checkpoint thread copies the log into the database file (1 MB). */
export const CHECKPOINT_FRAMES = 256;

/**
 * Log pages past which a committing connection checkpoints by itself (SQLite's wal_autocheckpoint): far above what
 * the checkpoint thread lets pile up, so it only bounds the log if that thread falls behind, and lets the log
 * start over (a checkpoint racing a busy writer never catches up with the log's end by itself).
 */
export const SELF_CHECKPOINT_PAGES = 10_000;

/** A call from the main thread to the checkpoint thread. */
export type CheckpointCall = { kind: 'open'; connection: number; file: string } | { kind: 'close'; connection: number };
