// The event inspector: plain DOM, every value set as text (payloads are untrusted), the token only in session
// storage. Each view has its own address: #/events, #/events/<id>, #/webhooks, #/webhooks/<id>, #/deliveries, #/drift.
import { activityChart } from './chart.js';
import { deliveriesView } from './deliveries.js';
import { breakable, copy, el, fill, plural, timeText } from './dom.js';
import { driftView } from './drift.js';
import { treeWithJson } from './tree.js';
import { webhooksView } from './webhooks.js';

const TOKEN_KEY = 'plugnpaid-admin-token';
const POLL_MS = 1500;
const $ = (id) => document.getElementById(id);
// The page's heading names the app and its platform (the server puts the app's label there).
const APP_NAME = document.querySelector('h1').textContent;
const PLATFORM = document.querySelector('h1').dataset.appLabel;

const state = { modules: [], webhooks: [], poller: null, route: { view: 'events', id: null }, listKey: '', detailKey: '', activityKey: '' };

function announce(text) {
  $('status').textContent = text;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401) {
    signOut('That admin token was not accepted.');
    throw new Error('unauthorized');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new Error((data && data.error) || `HTTP ${response.status}`);
  return data;
}

const moduleOf = (name) => state.modules.find((module) => module.name === name);
const moduleLabel = (name) => (moduleOf(name) ? moduleOf(name).label : name);
const context = { api, announce, modules: () => state.modules, moduleLabel, refreshEvents: () => renderEvents(true) };

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(state.poller);
  $('app').hidden = true;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  for (const id of ['webhooks', 'events', 'event-detail', 'activity', 'deliveries', 'drift']) $(id).replaceChildren();
  state.listKey = state.detailKey = state.activityKey = '';
}

async function start() {
  try {
    state.modules = (await api('GET', '/api/modules')).items;
    state.webhooks = (await api('GET', '/api/webhooks')).items;
  } catch {
    return;
  }
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  fill($('filter-webhook'), el('option', { value: '' }, 'all'), ...state.webhooks.map((w) => el('option', { value: w.id }, w.name)));
  await route();
  clearInterval(state.poller);
  state.poller = setInterval(() => {
    if (state.route.view !== 'events') return;
    renderEvents(false).catch(() => undefined);
    renderActivity().catch(() => undefined);
    if (state.route.id) renderEvent(state.route.id, false).catch(() => undefined);
  }, POLL_MS);
}

/** Reads the address and shows its view. */
async function route() {
  const match = /^#\/(events|webhooks|deliveries|drift)(?:\/([^/?#]+))?/.exec(location.hash);
  state.route = match ? { view: match[1], id: match[2] ? decodeURIComponent(match[2]) : null } : { view: 'events', id: null };
  for (const section of document.querySelectorAll('#app [data-view]')) section.hidden = section.dataset.view !== state.route.view;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === state.route.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if ($('app').hidden) return;
  if (state.route.view === 'events') {
    document.title = state.route.id ? `Event ${state.route.id} · ${APP_NAME}` : `Events · ${APP_NAME}`;
    await Promise.all([renderEvents(true), renderActivity()]);
    if (state.route.id) await renderEvent(state.route.id, true);
    else clearEvent();
  } else if (state.route.view === 'webhooks') {
    document.title = `Webhooks · ${APP_NAME}`;
    await webhooksView($('webhooks'), state.route.id, context);
    $('webhooks-title').focus();
  } else if (state.route.view === 'deliveries') {
    document.title = `Deliveries · ${APP_NAME}`;
    await deliveriesView($('deliveries'), context);
    $('deliveries-title').focus();
  } else {
    document.title = `Drift · ${APP_NAME}`;
    await driftView($('drift'), context, state.webhooks);
    $('drift-title').focus();
  }
}

function filterQuery() {
  const query = new URLSearchParams();
  for (const [key, id] of [['q', 'filter-q'], ['webhook', 'filter-webhook'], ['status', 'filter-status'], ['type', 'filter-type']]) {
    const value = $(id).value.trim();
    if (value) query.set(key, value);
  }
  return query;
}

/** The event's status, and a badge for each kind of delivery not delivered ("1 delivery dead"), from `state`. */
function stateBadges(event) {
  const [status, ...deliveries] = event.state.split(' · ');
  const kind = (text) => (text.endsWith('dead') ? 'dead' : text.endsWith('paused') ? 'stopped' : 'pending');
  return [el('span', { class: `badge status-${status}` }, status), ...deliveries.flatMap((text) => [' ', el('span', { class: `badge status-${kind(text)}` }, text)])];
}

function eventRow(event) {
  const href = `#/events/${event.id}`;
  const selected = String(event.id) === state.route.id;
  return el('tr', { 'data-event': event.id, class: selected ? 'selected' : null, onclick: (e) => { if (!e.target.closest('a')) location.hash = href; } },
    el('td', {}, el('a', { href, 'aria-current': selected ? 'true' : null, 'aria-label': `Event ${event.id}, ${event.type || 'no type'}, ${event.state}` }, String(event.id))),
    el('td', { class: 'type' }, breakable(event.type || '(no type)')),
    el('td', {}, stateBadges(event)),
    el('td', { class: 'received' }, timeText(event.receivedAt)));
}

/** Renders the event list; when polling, only if it changed (keeping the focused row focused). */
async function renderEvents(force) {
  const query = filterQuery();
  let events;
  try {
    events = (await api('GET', `/api/events?${query}`)).items;
  } catch (error) {
    if (error.message === 'unauthorized') return;
    showEmpty(`The search could not run: ${error.message}`, false);
    fill($('events'));
    return;
  }
  const key = JSON.stringify([query.toString(), state.route.id, events.map((e) => [e.id, e.state])]);
  if (!force && key === state.listKey) return;
  state.listKey = key;
  const focused = document.activeElement && document.activeElement.closest('#events tr');
  const focusedId = focused ? focused.dataset.event : null;
  fill($('events'), ...events.map(eventRow));
  if (focusedId) {
    const link = document.querySelector(`#events tr[data-event="${CSS.escape(focusedId)}"] a`);
    if (link) link.focus();
  }
  if (events.length > 0) $('events-empty').hidden = true;
  else if ([...query.keys()].length > 0) showEmpty('No event matches these filters.', true);
  else showEmpty(null, false);
}

function showEmpty(message, clearable) {
  const box = $('events-empty');
  box.hidden = false;
  if (message === null) {
    fill(box, el('p', {}, `No events yet. Register the webhook URL in ${PLATFORM}, or send a sample from `, el('a', { href: '#/webhooks' }, 'Webhooks'), ' to see how an event becomes bundles.'));
    return;
  }
  fill(box, el('p', {}, message), clearable ? el('button', { type: 'button', class: 'secondary', onclick: () => {
    $('filters').reset();
    renderEvents(true);
  } }, 'Clear the filters') : null);
}

async function renderActivity() {
  const webhook = $('filter-webhook').value;
  const { hours } = await api('GET', `/api/activity${webhook ? `?webhook=${encodeURIComponent(webhook)}` : ''}`);
  const key = JSON.stringify(hours);
  if (key === state.activityKey) return;
  state.activityKey = key;
  fill($('activity'), activityChart(hours));
}

function clearEvent() {
  state.detailKey = '';
  $('event-title').textContent = 'Event details';
  fill($('event-detail'), el('p', { class: 'empty-state' }, 'Choose an event in the list to see its bundles, deliveries and payload.'));
}

function routingView(event, labels) {
  if (!event.routing) return el('p', { class: 'hint' }, 'Not processed yet: it is processed within a second of arriving.');
  if (event.routing.reason && event.routing.triggers.length === 0) return el('p', { class: 'status-text-unrouted' }, event.routing.reason);
  return el('ul', { class: 'routing' }, event.routing.triggers.map((t) => el('li', {},
    el('strong', {}, labels.get(t.trigger) || moduleLabel(t.module)), ': ',
    t.filtered ? 'filtered out by its product filter' : plural(t.bundles, 'bundle'),
    t.invalidBundles ? el('span', { class: 'error' }, `, ${t.invalidBundles} not matching the output schema`) : null,
    t.error ? el('span', { class: 'error' }, `, error: ${t.error}`) : null)));
}

function bundleView(bundle, label, index) {
  const module = moduleOf(label.module);
  const { toggle, body } = treeWithJson(label.title, bundle.data, module ? module.output : null, { errors: bundle.errors, announce });
  const headingId = `bundle-${bundle.triggerId}-${bundle.seq}`;
  return el('section', { class: `bundle${bundle.valid ? '' : ' invalid'}`, 'data-bundle': bundle.id, 'aria-labelledby': headingId },
    el('div', { class: 'bundle-head' },
      el('h4', { id: headingId }, label.title, el('span', { class: 'muted' }, ` · bundle ${index}`)),
      bundle.valid ? null : el('span', { class: 'badge status-failed' }, 'does not match the output schema'),
      toggle),
    body);
}

function deliveryRow(delivery, labels) {
  const replay = delivery.status === 'dead' || delivery.status === 'stopped'
    ? el('button', { type: 'button', class: 'small', onclick: async () => {
      await api('POST', `/api/deliveries/${delivery.id}/replay`);
      announce(`Delivery ${delivery.id} replayed`);
      await renderEvent(state.route.id, false);
    } }, 'Replay delivery')
    : null;
  const answer = delivery.lastError || (delivery.lastStatus !== null && delivery.lastStatus !== undefined ? `HTTP ${delivery.lastStatus}` : '—');
  return el('tr', { 'data-delivery': delivery.id },
    el('td', {}, String(delivery.id)),
    el('td', {}, labels.get(delivery.triggerId) || delivery.triggerId),
    el('td', {}, el('span', { class: `badge status-${delivery.status}` }, delivery.status)),
    el('td', {}, String(delivery.attempts)),
    el('td', {}, answer),
    el('td', {}, delivery.nextAttemptAt ? timeText(delivery.nextAttemptAt) : '—'),
    el('td', {}, replay));
}

/** The payload paths of this event's type that no module's mapping reads (from the drift report); empty when unknown. */
async function unmappedPaths(event) {
  try {
    const drift = await api('GET', `/api/drift?webhook=${encodeURIComponent(event.webhookId)}`);
    return new Set(drift.unmappedFields.filter((field) => field.eventType === event.type).map((field) => field.path));
  } catch {
    return new Set();
  }
}

/** Shows one event; when polling, re-renders only if something changed (so open branches stay open). */
async function renderEvent(id, focus) {
  let event;
  try {
    event = await api('GET', `/api/events/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error.message === 'unauthorized') return;
    $('event-title').textContent = `Event ${id}`;
    fill($('event-detail'), el('p', { class: 'empty-state' }, `This event could not be shown: ${error.message}.`), el('p', {}, el('a', { href: '#/events' }, 'Back to the list')));
    state.detailKey = '';
    return;
  }
  if (String(id) !== state.route.id) return;
  const key = JSON.stringify([event.status, event.routing, (event.bundles || []).map((b) => b.id), event.deliveries]);
  if (!focus && key === state.detailKey) return;
  state.detailKey = key;
  // Trigger id → module label, from the routing record (the trigger may since have been removed).
  const labels = new Map((event.routing ? event.routing.triggers : []).map((t) => [t.trigger, moduleLabel(t.module)]));
  const modulesOf = new Map((event.routing ? event.routing.triggers : []).map((t) => [t.trigger, t.module]));
  // Triggers and bundles in the order the app defines its modules, as in the webhooks view.
  const rank = (module) => {
    const index = state.modules.findIndex((candidate) => candidate.name === module);
    return index < 0 ? state.modules.length : index;
  };
  if (event.routing) event.routing.triggers.sort((a, b) => rank(a.module) - rank(b.module));
  const counters = new Map();
  // Bundles are derived when the event is read: null while a crash-interrupted event waits to be tried again.
  const ordered = [...(event.bundles || [])].sort((a, b) => rank(modulesOf.get(a.triggerId)) - rank(modulesOf.get(b.triggerId)) || a.triggerId.localeCompare(b.triggerId) || a.seq - b.seq);
  const bundles = ordered.map((bundle) => {
    const index = (counters.get(bundle.triggerId) || 0) + 1;
    counters.set(bundle.triggerId, index);
    return bundleView(bundle, { title: labels.get(bundle.triggerId) || `Trigger ${bundle.triggerId}`, module: modulesOf.get(bundle.triggerId) }, index);
  });
  const unmapped = await unmappedPaths(event);
  const payload = treeWithJson('Payload', event.body, null, { announce, open: 1, asReceived: true, mark: (path) => (unmapped.has(path) ? 'no mapping reads this' : null) });
  fill($('event-title'), `Event ${event.id}: `, breakable(event.type || '(no type)'));
  fill($('event-detail'),
    el('div', { class: 'event-head' },
      stateBadges(event),
      el('span', {}, 'received ', timeText(event.receivedAt)),
      event.processedAt ? el('span', {}, 'processed ', timeText(event.processedAt)) : null,
      el('span', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary small', onclick: () => copy(location.href, 'Link to this event', announce) }, 'Copy link'),
        el('button', { type: 'button', class: 'small', onclick: async () => {
          const outcome = await api('POST', `/api/events/${event.id}/replay`);
          announce(outcome.message);
        } }, 'Replay event'))),
    event.retryAt ? el('p', { class: 'notice status-text-retrying' }, `The API could not be reached for this event (${plural(event.attempts, 'attempt')}); next try `, timeText(event.retryAt), event.error ? `. ${event.error}` : '.') : null,
    el('h3', {}, 'Triggers reached'), routingView(event, labels),
    el('h3', {}, 'Bundles'),
    ...(bundles.length ? bundles : [el('p', { class: 'empty-state' }, event.status === 'processed' ? 'No bundles: every trigger filtered this event out.' : 'No bundles.')]),
    el('h3', {}, 'Deliveries'),
    event.deliveries.length
      ? el('table', { class: 'deliveries' }, el('thead', {}, el('tr', {}, ['#', 'Trigger', 'Status', 'Attempts', 'Last answer', 'Next try', 'Action'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, event.deliveries.map((d) => deliveryRow(d, labels))))
      : el('p', { class: 'empty-state' }, 'No deliveries: these bundles are kept for Make to pull.'),
    el('section', { class: 'bundle payload', 'aria-labelledby': 'payload-title' },
      el('div', { class: 'bundle-head' }, el('h3', { id: 'payload-title' }, 'Payload as received'), payload.toggle),
      payload.body));
  for (const row of document.querySelectorAll('#events tr')) {
    const selected = row.dataset.event === String(event.id);
    row.classList.toggle('selected', selected);
    const link = row.querySelector('a');
    if (selected) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  if (focus) {
    $('event').scrollTop = 0;
    if (window.matchMedia('(max-width: 64rem)').matches) $('event').scrollIntoView();
  }
}

/** Up and down arrows move between the events of the list; Enter follows the link. */
function listKeys(event) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...document.querySelectorAll('#events tr a')];
  const index = links.indexOf(document.activeElement);
  if (index < 0) return;
  event.preventDefault();
  const next = links[Math.max(0, Math.min(links.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
  next.focus();
}

let typing = null;
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  $('token').value = '';
  $('sign-in-error').textContent = '';
  start();
});
$('sign-out').addEventListener('click', () => signOut(''));
$('filters').addEventListener('change', () => {
  renderEvents(true);
  renderActivity().catch(() => undefined);
});
$('filters').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => renderEvents(true), 250);
});
$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  renderEvents(true);
});
$('events').addEventListener('keydown', listKeys);
window.addEventListener('hashchange', () => route().catch(() => undefined));
if (sessionStorage.getItem(TOKEN_KEY)) start();
