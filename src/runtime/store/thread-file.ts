import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

// The store's threads hold a few statements and one batch of events at a time (bodies travel outside the heap):
// small heaps keep the runtime within its memory budget. Past them a thread stops, and its caller starts another.
const LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/**
 * Starts the worker thread `name` that sits in `dir` beside the calling module: its compiled .js, or under
 * ts-node (the tests) its .ts through ts-node. Unreferenced: an idle thread never keeps the process alive.
 */
export function startThread(dir: string, name: string): Worker {
  const file = join(dir, `${name}${extname(__filename)}`);
  const worker =
    extname(file) === '.ts'
      ? new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(file)});`, { eval: true, resourceLimits: LIMITS })
      : new Worker(file, { resourceLimits: LIMITS });
  worker.unref();
  return worker;
}
