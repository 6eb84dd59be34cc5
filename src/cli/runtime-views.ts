import { counted } from '../runtime/delivery/delivery-state';
import type { Page } from '../runtime/api/paging';
import type { TriggerRouting } from '../runtime/routing';
import type { bundleView, deliveryView, eventSummaryView, triggerView, webhookView } from '../runtime/api/views';
import { Cell, Colour, paint, plural, table } from './human-output';

type EventSummary = ReturnType<typeof eventSummaryView>;
type EventDetail = EventSummary & {
  routing: { reason?: string; triggers: TriggerRouting[] } | null;
  bundles: Array<ReturnType<typeof bundleView>> | null;
  deliveries: Array<ReturnType<typeof deliveryView>>;
};
type Webhook = ReturnType<typeof webhookView>;
type Trigger = ReturnType<typeof triggerView>;
type ListedDelivery = ReturnType<typeof deliveryView> & { eventId: number; module: string | null };


const STATUS_COLOURS: Record<string, Colour> = {
  processed: 'green',
  delivered: 'green',
  failed: 'red',
  dead: 'red',
  pending: 'yellow',
  retrying: 'yellow',
  unrouted: 'dim',
};

const status = (text: string): Cell => (STATUS_COLOURS[text] ? { text, colour: STATUS_COLOURS[text] } : text);

/** An event's status with its deliveries' state (`processed · 1 delivery dead`), red when a delivery gave up. */
const eventState = (event: EventSummary): Cell => (event.deliveryCounts.dead > 0 ? { text: event.state, colour: 'red' } : { ...(status(event.status) as object), text: event.state } as Cell);

/** An ISO instant as a person reads it in a table: to the second, in UTC. */
const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

const lines = (...parts: string[]) => `${parts.join('\n')}\n`;

/** `events`: one line per event, newest first, with the way to the next page. */
export function formatEvents(page: Page<EventSummary>, colour: boolean): string {
  if (page.items.length === 0) return lines('no events match: send one with `plugnpaid-connector send <module>`, or register the webhook URL in the platform');
  const withErrors = page.items.some((event) => event.error);
  const header = ['id', 'status', 'type', 'received', 'webhook', ...(withErrors ? ['error'] : [])];
  const rows = page.items.map((event) => [String(event.id), eventState(event), event.type ?? '(no type)', when(event.receivedAt), event.webhookId, ...(withErrors ? [event.error ?? ''] : [])]);
  const more = page.hasMore ? [`more: add --before ${page.next}`] : [];
  return lines(...table(header, rows, colour), ...more);
}

/** `events <id>`: what happened to one event, its error first. */
export function formatEvent(event: EventDetail, colour: boolean): string {
  const state = eventState(event);
  const out = [`event ${event.id}  ${event.type ?? '(no type)'}  ${typeof state === 'string' ? state : paint(state.text, state.colour, colour)}`];
  const reason = event.error ?? event.routing?.reason;
  if (reason) out.push(`${event.status === 'unrouted' ? 'why' : 'error'}: ${reason}`);
  out.push(`received ${when(event.receivedAt)} on webhook ${event.webhookId}`);
  // Attempts count the API fetches of modules that fetch their object; other events have none.
  if (event.processedAt) out.push(`processed ${when(event.processedAt)}${event.attempts > 0 ? ` after ${plural(event.attempts, 'attempt')}` : ''}`);
  if (event.retryAt) out.push(`next try ${when(event.retryAt)}`);
  const triggers = event.routing?.triggers ?? [];
  if (triggers.length > 0) {
    out.push('', `Triggers (${triggers.length})`);
    out.push(
      ...table(
        ['trigger', 'module', 'bundles', 'outcome'],
        triggers.map((t) => [t.trigger, t.module, plural(t.bundles, 'bundle'), outcome(t)]),
        colour,
        '  ',
      ),
    );
  }
  if (event.deliveries.length > 0) {
    out.push('', `Deliveries (${event.deliveries.length})`);
    out.push(
      ...table(
        ['id', 'trigger', 'status', 'attempts', 'last answer', 'next try'],
        event.deliveries.map((d) => [String(d.id), d.triggerId, status(d.status), String(d.attempts), lastAnswer(d), when(d.nextAttemptAt)]),
        colour,
        '  ',
      ),
    );
  }
  out.push('', `the payload and the ${plural(event.bundles?.length ?? 0, 'bundle')}: plugnpaid-connector events ${event.id} --json`);
  return lines(...out);
}

function outcome(routing: TriggerRouting): Cell {
  if (routing.error) return { text: routing.retrying ? `waiting for the API: ${routing.error}` : routing.error, colour: routing.retrying ? 'yellow' : 'red' };
  if (routing.filtered) return 'filtered out by its product filter';
  if (routing.invalidBundles > 0) return { text: `${routing.invalidBundles} not matching the output schema`, colour: 'yellow' };
  return 'ok';
}

/** `webhooks list`: each webhook's id, name, secret check and URL. */
export function formatWebhooks(page: Page<Webhook>, colour: boolean): string {
  if (page.items.length === 0) return lines('no webhooks: create one with `plugnpaid-connector webhooks create <name>`');
  const secret = (webhook: Webhook) => (webhook.secret ? `${webhook.secret.kind} (${webhook.secret.header ?? `?${webhook.secret.query}`})` : 'none');
  return lines(...table(['id', 'name', 'secret', 'url'], page.items.map((webhook) => [webhook.id, webhook.name, secret(webhook), webhook.url]), colour));
}

/** `triggers list`: a webhook's triggers in the app's module order. */
export function formatTriggers(page: Page<Trigger>, colour: boolean): string {
  if (page.items.length === 0) return lines('no triggers: attach a module with `plugnpaid-connector triggers add <webhook> <module>`');
  const options = (trigger: Trigger) => (Object.keys(trigger.parameters).length > 0 ? JSON.stringify(trigger.parameters) : '-');
  const state = (trigger: Trigger): Cell => (trigger.stopped ? { text: `stopped: ${trigger.stopped}`, colour: 'red' } : { text: 'active', colour: 'green' });
  const rows = page.items.map((trigger) => [trigger.id, trigger.module, state(trigger), options(trigger), trigger.destination?.url ?? 'kept for pulling']);
  return lines(...table(['id', 'module', 'state', 'options', 'bundles go to'], rows, colour));
}

/** A delivery's last answer: the failure in words (`HTTP 400: …`, a network error), or its status. */
const lastAnswer = (delivery: { lastStatus: number | null; lastError: string | null }) => delivery.lastError ?? (delivery.lastStatus ? `HTTP ${delivery.lastStatus}` : '');

/** `deliveries list`: one line per delivery, newest first. */
export function formatDeliveries(page: Page<ListedDelivery>, colour: boolean): string {
  if (page.items.length === 0) return lines('no deliveries match');
  const rows = page.items.map((d) => [String(d.id), String(d.eventId), d.triggerId, d.module ?? '(trigger removed)', status(d.status), String(d.attempts), lastAnswer(d)]);
  const more = page.hasMore ? [`more: add --before ${page.next}`] : [];
  return lines(...table(['id', 'event', 'trigger', 'module', 'status', 'attempts', 'last answer'], rows, colour), ...more);
}

/** `deliveries replay`: how many dead deliveries went back in line. */
export function formatBulkReplay(answer: { replayed: number; trigger: string | null }): string {
  return lines(`${counted(answer.replayed, 'dead delivery', 'dead deliveries')} queued again${answer.trigger ? ` for trigger ${answer.trigger}` : ''}`);
}
