import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker thread `name` that sits in `dir` beside the calling module: its compiled .js, or under
 * ts-node (the tests) its .ts through ts-node. Unreferenced: an idle thread never keeps the process alive.
 */
export function startThread(dir: string, name: string): Worker {
  const file = join(dir, `${name}${extname(__filename)}`);
  const worker =
    extname(file) === '.ts'
      ? new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(file)});`, { eval: true })
      : new Worker(file);
  worker.unref();
  return worker;
}
