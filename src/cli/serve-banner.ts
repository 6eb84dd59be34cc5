import { isIP } from 'node:net';
import { nonPublicRange } from '../runtime/delivery/destination-policy';

/** What the start banner says about where the runtime is reached. */
export interface ReachInput {
  /** The platform's name, e.g. Plug&Paid. */
  platform: string;
  /** The base URL webhook URLs start with (the public URL when one is set). */
  baseUrl: string;
  /** The webhooks to show (the first few), and how many there are in all. */
  webhooks: Array<{ name: string; url: string }>;
  webhookCount: number;
  /** Set on the start that created the first webhook: where the registration steps are, and how many triggers it has. */
  created?: { steps: string; triggers: number };
  /** The command line that lists every webhook, for when not all are shown. */
  listCommand: string;
}

const LABEL = 13;
const line = (label: string, text: string) => `  ${label.padEnd(LABEL)}${text}`;
const more = (text: string) => `  ${' '.repeat(LABEL)}${text}`;

/** Why the platform cannot call `baseUrl` (this machine or a private network only), or undefined when it can. */
export function unreachableReason(baseUrl: string): string | undefined {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  if (/(^|\.)localhost\.?$/i.test(host)) return `${host} is this machine only`;
  const range = isIP(host) ? nonPublicRange(host) : undefined;
  if (range === undefined) return undefined;
  return range === 'loopback' ? `${host} is this machine only` : `${host} is ${/^[aeiou]/.test(range) ? 'an' : 'a'} ${range} address`;
}

/**
 * The banner lines about reaching the runtime: each webhook URL (on every start, not only the first), a warning
 * when the platform cannot reach them, the inspector, and the runtime's own admin API (named so, not "API base",
 * which reads as the platform's API).
 */
export function reachLines(input: ReachInput): string[] {
  const lines: string[] = [];
  for (const webhook of input.webhooks) lines.push(line('Webhook URL:', `${webhook.url}${input.webhookCount > 1 ? ` (${webhook.name})` : ''}`));
  if (input.created) lines.push(more(`paste it in ${input.platform} as ${input.created.steps} says; all ${input.created.triggers} triggers are attached`));
  if (input.webhookCount > input.webhooks.length) lines.push(more(`and ${input.webhookCount - input.webhooks.length} more: ${input.listCommand}`));
  const unreachable = input.webhookCount > 0 ? unreachableReason(input.baseUrl) : undefined;
  if (unreachable) {
    lines.push(
      line('Note:', `${input.platform} cannot reach this URL: ${unreachable}. To receive real events,`),
      more('expose the port through a tunnel or a public host (HTTPS), restart with'),
      more('--public-url https://… and register that URL. `send` works meanwhile.'),
    );
  }
  lines.push(line('Inspector:', `${input.baseUrl}/ (sign in with the admin token)`));
  lines.push(line('Admin API:', `${input.baseUrl}/api (this runtime's own API for the CLI and scripts, not ${input.platform}'s)`));
  return lines;
}
