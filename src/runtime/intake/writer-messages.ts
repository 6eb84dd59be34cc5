import type { SyncLevel } from '../store/store';

/** One event for the intake writer to commit. */
export interface IntakeItem {
  webhookId: string;
  body: Uint8Array;
  type: string | null;
}

/**
 * A batch of events as posted to the writer thread: the bodies packed into one buffer that is moved, not copied
 * (a request body is often a view into a larger socket buffer, which a plain post would copy whole).
 */
export interface PackedBatch {
  webhookIds: string[];
  types: Array<string | null>;
  ends: number[];
  bodies: ArrayBuffer;
}

/** Packs a batch's bodies into one transferable buffer. */
export function packBatch(items: IntakeItem[]): PackedBatch {
  const ends: number[] = [];
  let size = 0;
  for (const item of items) ends.push((size += item.body.byteLength));
  const bodies = new Uint8Array(size);
  items.forEach((item, index) => bodies.set(item.body, index === 0 ? 0 : ends[index - 1]));
  return { webhookIds: items.map((item) => item.webhookId), types: items.map((item) => item.type), ends, bodies: bodies.buffer };
}

/** The events of a packed batch, each body a view into the moved buffer. */
export function unpackBatch(batch: PackedBatch): IntakeItem[] {
  return batch.ends.map((end, index) => {
    const start = index === 0 ? 0 : batch.ends[index - 1];
    return { webhookId: batch.webhookIds[index], type: batch.types[index], body: new Uint8Array(batch.bodies, start, end - start) };
  });
}

/** What intake stored for one event. */
export interface Ingested {
  eventId: number;
  duplicate: boolean;
}

/** A call from the main thread to the intake writer thread; `call` pairs it with its reply. */
export type WriterCall =
  | { kind: 'open'; call: number; connection: number; file: string; sync: SyncLevel }
  | { kind: 'commit'; call: number; connection: number; now: number; windowMs: number; batch: PackedBatch }
  | { kind: 'close'; call: number; connection: number };

/** The writer thread's answer to one call. */
export type WriterReply = { call: number; results?: Ingested[]; error?: { message: string; code?: string } };
