import { processIo } from './io';
import { runCli } from './program';

/** Entry point used by bin/plugnpaid-connector.js. */
export function main(argv: string[]): Promise<number> {
  return runCli(argv, processIo);
}
