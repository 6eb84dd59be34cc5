import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `plugnpaid-connector/<version>`: what forwarded requests and alerts call themselves (the package's own version). */
export const USER_AGENT = `plugnpaid-connector/${(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version}`;
