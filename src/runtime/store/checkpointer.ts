import type { Worker } from 'node:worker_threads';
import type { CheckpointCall } from './checkpoint-calls';
import { startThread } from './thread-file';

let thread: Worker | undefined;
let nextConnection = 1;

/**
 * Keeps a store's write-ahead log short from a thread of its own (store/checkpoint-thread.ts), one thread for the
 * whole process. The store's connections checkpoint by themselves only far past that (SELF_CHECKPOINT_PAGES).
 */
export class Checkpointer {
  private readonly connection = nextConnection++;
  private readonly worker: Worker;

  constructor(file: string) {
    if (!thread) {
      const started = (thread = startThread(__dirname, 'checkpoint-thread'));
      started.on('error', () => undefined);
      started.on('exit', () => {
        if (thread === started) thread = undefined;
      });
    }
    this.worker = thread;
    this.post({ kind: 'open', connection: this.connection, file });
  }

  /** Stops checkpointing this store. */
  close(): void {
    this.post({ kind: 'close', connection: this.connection });
  }

  private post(call: CheckpointCall): void {
    this.worker.postMessage(call);
  }
}
