import { randomBytes } from 'node:crypto';
import { appWebhook } from '../definition/app-webhook';
import { parseJsonText } from '../definition/json-file';
import type { AppDefinition } from '../definition/types';
import { freshPayload, renewablePaths } from '../samples/fresh';
import { CliIo, ExitCode } from './io';

/** The fields `--fresh` would renew in this body (none when the app names none, or the body is not JSON). */
export function freshPaths(app: AppDefinition, body: string): string[] {
  const rule = appWebhook(app)?.freshDelivery;
  const parsed = parseJsonText(body);
  return rule && parsed.ok ? renewablePaths(rule, parsed.value) : [];
}

/**
 * The body `send --fresh` posts: the payload with the fields the app's webhook names in `freshDelivery` renewed, so
 * the runtime stores it as a new event; says on stderr what changed. Exits 2 when there is nothing to renew.
 */
export function freshBody(io: CliIo, app: AppDefinition, body: string): string {
  const rule = appWebhook(app)?.freshDelivery;
  const parsed = parseJsonText(body);
  if (!rule) {
    io.stderr(`--fresh: the ${app.manifest.label} app's webhook names no fields to renew (freshDelivery); to process a payload again, use \`plugnpaid-connector replay event <id>\`\n`);
    throw new ExitCode(2);
  }
  if (!parsed.ok) {
    io.stderr(`--fresh renews fields of a JSON payload, and this one is not JSON: ${parsed.message}\n`);
    throw new ExitCode(2);
  }
  const { payload, renewed } = freshPayload(parsed.value, rule, { now: new Date(), unique: randomBytes(3).toString('hex') });
  if (renewed.length === 0) {
    const named = [...(rule.ids ?? []), ...(rule.times ?? [])].join(', ');
    io.stderr(`--fresh: the payload carries none of the fields the ${app.manifest.label} webhook renews (${named}); to process it again, use \`plugnpaid-connector replay event <id>\`\n`);
    throw new ExitCode(2);
  }
  io.stderr(`fresh: ${renewed.map((change) => `${change.path} ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`).join(', ')}\n`);
  return JSON.stringify(payload);
}
