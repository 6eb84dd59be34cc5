import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package's own version, from package.json (what `--version` prints). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/** `plugnpaid-connector/<version>`: what forwarded requests and alerts call themselves (the package's own version). */
export const USER_AGENT = `plugnpaid-connector/${PACKAGE_VERSION}`;
