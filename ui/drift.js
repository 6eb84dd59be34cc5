// The drift view (#/drift): what real traffic shows that the app does not know or does not map, from
// GET /api/drift, with the command that routes an unknown type's events once it is aliased.
import { el, fill, timeText } from './dom.js';

// An example the retention pruned is null: the counts stay, the event is gone.
const exampleLink = (id) => (id === null ? 'pruned' : el('a', { href: `#/events/${id}` }, `event ${id}`));

function table(caption, headings, rows, empty) {
  if (rows.length === 0) return el('p', { class: 'empty-state' }, empty);
  return el('table', { class: 'drift' },
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, headings.map((heading) => el('th', { scope: 'col' }, heading)))),
    el('tbody', {}, rows));
}

function section(title, count, description, body) {
  const id = `drift-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return el('section', { class: 'drift-section', 'aria-labelledby': id },
    el('h3', { id }, title, el('span', { class: 'count' }, ` ${count}`)),
    el('p', { class: 'hint' }, description),
    body);
}

/** Renders the drift report of one webhook (or all) into `container`. */
export async function driftView(container, context, webhooks) {
  const select = el('select', { id: 'drift-webhook' }, el('option', { value: '' }, 'all'), webhooks.map((w) => el('option', { value: w.id }, w.name)));
  const report = el('div', { 'aria-live': 'polite' });
  const render = async () => {
    const webhook = select.value;
    let drift;
    try {
      drift = await context.api('GET', `/api/drift${webhook ? `?webhook=${encodeURIComponent(webhook)}` : ''}`);
    } catch (error) {
      fill(report, el('p', { class: 'empty-state' }, `The drift report could not be read: ${error.message}`));
      return;
    }
    fill(report,
      section('Unknown event types', drift.unknownTypes.length, ['Types no catalogue event (or alias) names. Alias one with ', el('code', {}, 'plugnpaid-connector catalogue alias <type> <event>'), ', restart the runtime (it reads the catalogue when it starts), then replay its events.'],
        table('Unknown event types', ['Type', 'Events', 'First seen', 'Last seen', 'Example', 'After the alias and a restart'], drift.unknownTypes.map((row) => el('tr', { 'data-type': row.type ?? '' },
          el('td', {}, row.type === null ? el('span', { class: 'muted' }, '(no type)') : el('code', {}, row.type)),
          el('td', {}, String(row.count)), el('td', {}, timeText(row.firstSeen)), el('td', {}, timeText(row.lastSeen)),
          el('td', {}, exampleLink(row.exampleEventId)), el('td', {}, row.type === null ? '—' : el('code', {}, `plugnpaid-connector replay type ${row.type}`)))), 'Every event type received so far is known to the app.')),
      section('Payload fields no mapping reads', drift.unmappedFields.length, 'Fields that arrive but reach no bundle: candidates for a new output field.',
        table('Payload fields no mapping reads', ['Event type', 'Path', 'Events', 'Example'], drift.unmappedFields.map((row) => el('tr', {},
          el('td', {}, row.eventType), el('td', {}, el('code', {}, row.path)), el('td', {}, String(row.count)), el('td', {}, exampleLink(row.exampleEventId)))), 'Every field received is read by a mapping.')),
      section('Mapped fields never received', drift.missingFields.length, 'Fields the mappings read that no payload of that type has carried: perhaps a wrong name.',
        table('Mapped fields never received', ['Event type', 'Path'], drift.missingFields.map((row) => el('tr', {},
          el('td', {}, row.eventType), el('td', {}, el('code', {}, row.path)))), 'Every mapped field has arrived at least once.')),
      section('Payload schema violations', drift.payloadViolations.length, 'Where received payloads break the payload schema the app assumes.',
        table('Payload schema violations', ['Event type', 'Field', 'Problem', 'Events', 'Example'], drift.payloadViolations.map((row) => el('tr', {},
          el('td', {}, row.eventType), el('td', {}, el('code', {}, row.pointer || '/')), el('td', {}, row.message), el('td', {}, String(row.count)), el('td', {}, exampleLink(row.exampleEventId)))), 'No payload has broken its schema.')));
  };
  select.addEventListener('change', render);
  fill(container,
    el('p', { class: 'hint' }, 'What real traffic shows that the app does not know yet. Counted as events are processed.'),
    el('div', { class: 'field narrow' }, el('label', { for: 'drift-webhook' }, 'Webhook'), select),
    report);
  await render();
}
