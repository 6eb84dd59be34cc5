import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';

/** A realistic Plug&Paid payload from examples/payloads, by event type (a fresh copy each call). */
export function examplePayload(type: string): any {
  return JSON.parse(readFileSync(join(DEFAULT_APP_DIR, 'examples', 'payloads', `${type}.json`), 'utf8'));
}
