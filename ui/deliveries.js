// The deliveries view (#/deliveries): each forwarding trigger's deliveries at a glance, failing destinations
// first (from GET /api/deliveries/triggers), with "Replay all dead" per trigger and its dead deliveries listed.
import { el, fill, timeText } from './dom.js';

function failureText(failure) {
  if (!failure) return el('span', { class: 'muted' }, 'none');
  return el('span', {}, el('span', { class: 'error' }, failure.error), ' · ', timeText(failure.at));
}

/** The dead deliveries of one trigger, newest first, each linked to its event. */
async function deadList(context, triggerId) {
  const rows = (await context.api('GET', `/api/deliveries?status=dead&trigger=${encodeURIComponent(triggerId)}&limit=20`)).items;
  return el('ul', { class: 'dead-deliveries' }, rows.map((row) => el('li', { 'data-delivery': row.id },
    el('a', { href: `#/events/${row.eventId}` }, `event ${row.eventId}`), `: delivery ${row.id}, ${row.lastError || 'dead'}`)));
}

/** Renders the per-trigger delivery health into `container`. */
export async function deliveriesView(container, context) {
  let items;
  try {
    items = (await context.api('GET', '/api/deliveries/triggers')).items;
  } catch (error) {
    fill(container, el('p', { class: 'empty-state' }, `The deliveries could not be read: ${error.message}`));
    return;
  }
  if (items.length === 0) {
    fill(container, el('p', { class: 'empty-state' }, 'No trigger forwards its bundles: every trigger keeps them for Make to pull.'));
    return;
  }
  const sections = await Promise.all(items.map(async (item) => {
    const { trigger } = item;
    const failing = item.dead > 0 || item.stopped > 0 || item.retrying;
    const headingId = `deliveries-${trigger.id}`;
    const replay = item.dead > 0
      ? el('button', { type: 'button', class: 'small', 'aria-label': `Replay all dead deliveries of ${context.moduleLabel(trigger.module)}`, onclick: async () => {
        try {
          const answer = await context.api('POST', '/api/deliveries/replay', { status: 'dead', trigger: trigger.id });
          context.announce(`${answer.replayed} dead deliver${answer.replayed === 1 ? 'y' : 'ies'} of ${context.moduleLabel(trigger.module)} replayed`);
          await deliveriesView(container, context);
        } catch (error) {
          context.announce(`Could not replay: ${error.message}`);
        }
      } }, 'Replay all dead')
      : null;
    return el('section', { class: `destination${failing ? ' failing' : ''}`, 'data-trigger': trigger.id, 'aria-labelledby': headingId },
      el('div', { class: 'bundle-head' },
        el('h3', { id: headingId }, context.moduleLabel(trigger.module), el('span', { class: 'muted' }, ` → ${trigger.destination.url}`)),
        replay),
      trigger.stopped ? el('p', { class: 'notice status-text-unrouted' }, `Paused: ${trigger.stopped}. Replaying a delivery resumes it.`) : null,
      el('dl', { class: 'counts' },
        el('dt', {}, 'Dead'), el('dd', {}, el('span', { class: `badge ${item.dead ? 'status-dead' : 'status-delivered'}` }, String(item.dead))),
        el('dt', {}, 'Paused'), el('dd', {}, String(item.stopped)),
        el('dt', {}, 'Pending'), el('dd', {}, `${item.pending}${item.retrying ? ' (retrying)' : ''}`),
        el('dt', {}, 'Last failure'), el('dd', {}, failureText(item.lastFailure)),
        el('dt', {}, 'Last delivered'), el('dd', {}, item.lastDeliveredAt ? timeText(item.lastDeliveredAt) : el('span', { class: 'muted' }, 'never'))),
      item.dead > 0 ? await deadList(context, trigger.id) : null);
  }));
  fill(container, el('p', { class: 'hint' }, 'Each trigger that forwards its bundles, failing destinations first.'), sections);
}
