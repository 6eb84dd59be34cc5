import { processIo } from './io';
import { runCli } from './program';

/** Entry point used by bin/plugnpaid-connector.js. */
export function main(argv: string[]): Promise<number> {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return runCli(argv, processIo);
}
