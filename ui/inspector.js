'use strict';
// The event inspector: plain DOM, every value set as text (payloads are untrusted), token in session storage.
(() => {
  const TOKEN_KEY = 'plugnpaid-admin-token';
  const $ = (id) => document.getElementById(id);
  let modules = [];
  let webhooks = [];
  let openEvent = null;
  let poller = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }

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
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error((data && data.error) || `HTTP ${response.status}`);
    return data;
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    clearInterval(poller);
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('webhooks').replaceChildren();
    $('events').replaceChildren();
    $('event-detail').replaceChildren();
  }

  async function start() {
    try {
      modules = (await api('GET', '/api/modules')).items;
    } catch {
      return;
    }
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    await renderWebhooks();
    await renderEvents();
    poller = setInterval(() => {
      renderEvents().catch(() => undefined);
      if (openEvent) showEvent(openEvent, false).catch(() => undefined);
    }, 1500);
  }

  function parameterInput(parameter) {
    const id = `parameter-${parameter.name}`;
    if (parameter.type === 'boolean') return el('label', { for: id }, parameter.label, el('input', { id, name: parameter.name, type: 'checkbox' }));
    return el('label', { for: id }, `${parameter.label} (comma-separated)`, el('input', { id, name: parameter.name, placeholder: parameter.help || '' }));
  }

  function addTriggerForm(webhook) {
    const select = el('select', { name: 'module', 'aria-label': 'Module' }, modules.map((module) => el('option', { value: module.name }, module.label)));
    const fields = el('div', { class: 'row' });
    const renderFields = () => fields.replaceChildren(...modules.find((m) => m.name === select.value).parameters.map(parameterInput));
    select.addEventListener('change', renderFields);
    const destination = el('input', { name: 'destination', type: 'url', placeholder: 'https://… (empty: keep bundles for pulling)', 'aria-label': 'Destination URL' });
    const form = el('form', { class: 'row' }, el('label', {}, 'Module', select), fields, el('label', {}, 'Destination', destination), el('button', { type: 'submit' }, 'Add trigger'));
    renderFields();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const module = modules.find((m) => m.name === select.value);
      const parameters = {};
      for (const parameter of module.parameters) {
        const input = form.elements[parameter.name];
        if (parameter.type === 'boolean') parameters[parameter.name] = input.checked;
        else if (input.value.trim()) parameters[parameter.name] = input.value.split(',').map((v) => v.trim()).filter(Boolean);
      }
      const body = { module: module.name, parameters, ...(destination.value ? { destination: { url: destination.value } } : {}) };
      try {
        const created = await api('POST', `/api/webhooks/${webhook.id}/triggers`, body);
        announce(created.secret ? `Trigger added. Signing secret (shown once): ${created.secret}` : 'Trigger added.');
        if (created.secret) window.prompt('Signing secret for verifying deliveries (shown once):', created.secret);
        await renderWebhooks();
      } catch (error) {
        announce(`Could not add the trigger: ${error.message}`);
      }
    });
    return form;
  }

  function sendSampleForm(webhook) {
    const select = el('select', { 'aria-label': 'Sample to send' }, modules.map((module) => el('option', { value: module.name }, module.label)));
    return el('form', { class: 'row', onsubmit: async (event) => {
      event.preventDefault();
      const module = modules.find((m) => m.name === select.value);
      const stored = await api('POST', `/api/webhooks/${encodeURIComponent(webhook.id)}/samples`, { module: module.name });
      announce(stored.duplicate ? `Sample already received as event ${stored.event}` : `Sample stored as event ${stored.event}`);
      await renderEvents();
    } }, el('label', {}, 'Send a sample', select), el('button', { type: 'submit', class: 'secondary' }, 'Send sample'));
  }

  async function renderWebhooks() {
    webhooks = (await api('GET', '/api/webhooks')).items;
    const filter = $('filter-webhook');
    filter.replaceChildren(el('option', { value: '' }, 'all'), ...webhooks.map((w) => el('option', { value: w.id }, w.name)));
    const cards = await Promise.all(webhooks.map(async (webhook) => {
      const triggers = (await api('GET', `/api/webhooks/${webhook.id}/triggers`)).items;
      const copy = el('button', { type: 'button', class: 'secondary', onclick: async () => {
        await navigator.clipboard.writeText(webhook.url).catch(() => undefined);
        announce('Webhook URL copied');
      } }, 'Copy URL');
      return el('article', { class: 'card', 'data-webhook': webhook.id },
        el('h3', {}, webhook.name),
        el('p', {}, el('span', { class: 'url' }, webhook.url), ' ', copy),
        el('ul', { 'aria-label': `Triggers of ${webhook.name}` }, triggers.map((trigger) => el('li', {},
          `${modules.find((m) => m.name === trigger.module)?.label || trigger.module}`,
          trigger.destination ? ` → ${trigger.destination.url}` : ' (pull)',
          trigger.stopped ? el('span', { class: 'error' }, ` stopped: ${trigger.stopped}`) : null,
          ' ',
          el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove trigger ${trigger.module}`, onclick: async () => {
            await api('DELETE', `/api/triggers/${trigger.id}`);
            await renderWebhooks();
          } }, 'Remove'),
        ))),
        addTriggerForm(webhook),
        sendSampleForm(webhook));
    }));
    $('webhooks').replaceChildren(...cards);
  }

  async function renderEvents() {
    const query = new URLSearchParams();
    for (const [key, id] of [['webhook', 'filter-webhook'], ['status', 'filter-status'], ['type', 'filter-type']]) if ($(id).value) query.set(key, $(id).value);
    const events = (await api('GET', `/api/events?${query}`)).items;
    $('events').replaceChildren(...events.map((event) => {
      const row = el('tr', { tabindex: '0', 'data-event': event.id, onclick: () => showEvent(event.id, true), onkeydown: (e) => { if (e.key === 'Enter') showEvent(event.id, true); } },
        el('td', {}, event.id), el('td', {}, event.type || '(none)'), el('td', { class: `status-${event.status}` }, event.status), el('td', {}, new Date(event.receivedAt).toLocaleString()));
      return row;
    }));
  }

  function bundleView(bundle) {
    const errors = bundle.errors.map((error) => el('li', {}, `${error.pointer || '/'} ${error.message}`));
    return el('article', { class: `card${bundle.valid ? '' : ' invalid'}`, 'data-bundle': bundle.id },
      el('h4', {}, `Bundle ${bundle.id} for trigger ${bundle.triggerId}${bundle.valid ? '' : ' — does not match the output schema'}`),
      errors.length ? el('ul', { class: 'error' }, errors) : null,
      el('pre', {}, JSON.stringify(bundle.data, null, 2)));
  }

  function deliveryView(delivery) {
    const replay = delivery.status === 'dead' || delivery.status === 'stopped'
      ? el('button', { type: 'button', onclick: async () => {
        await api('POST', `/api/deliveries/${delivery.id}/replay`);
        announce(`Delivery ${delivery.id} replayed`);
        await showEvent(openEvent, false);
      } }, 'Replay delivery')
      : null;
    return el('tr', { 'data-delivery': delivery.id },
      el('td', {}, delivery.id), el('td', { class: `status-${delivery.status}` }, delivery.status), el('td', {}, delivery.attempts),
      el('td', {}, delivery.lastStatus ?? delivery.lastError ?? ''), el('td', {}, delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toLocaleString() : ''), el('td', {}, replay));
  }

  async function showEvent(id, focus) {
    openEvent = id;
    const event = await api('GET', `/api/events/${id}`);
    const routing = event.routing ? (event.routing.reason ? [el('p', { class: 'status-unrouted' }, event.routing.reason)] : event.routing.triggers.map((t) =>
      el('li', {}, `${t.module}: ${t.bundles} bundle(s)${t.filtered ? ', filtered out' : ''}${t.invalidBundles ? `, ${t.invalidBundles} invalid` : ''}${t.error ? `, error: ${t.error}` : ''}`))) : [el('p', {}, 'Not processed yet.')];
    $('event-title').textContent = `Event ${event.id}: ${event.type || '(no type)'}`;
    $('event-detail').replaceChildren(
      el('p', {}, 'Status: ', el('span', { class: `status-${event.status}` }, event.status), ' ',
        el('button', { type: 'button', class: 'secondary', onclick: async () => {
          await api('POST', `/api/events/${event.id}/replay`);
          announce(`Event ${event.id} replayed`);
        } }, 'Replay event')),
      event.retryAt ? el('p', { class: 'status-retrying' }, `The API could not be reached for this event (${event.attempts} attempt(s)); next try ${new Date(event.retryAt).toLocaleString()}. ${event.error || ''}`) : null,
      el('h3', {}, 'Triggers reached'), el('ul', {}, routing),
      el('h3', {}, 'Bundles'), ...(event.bundles.length ? event.bundles.map(bundleView) : [el('p', {}, 'No bundles.')]),
      el('h3', {}, 'Deliveries'),
      event.deliveries.length
        ? el('table', {}, el('thead', {}, el('tr', {}, ['#', 'Status', 'Attempts', 'Last answer', 'Next try', ''].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, event.deliveries.map(deliveryView)))
        : el('p', {}, 'No deliveries (bundles are kept for pulling).'),
      el('h3', {}, 'Raw payload'), el('pre', {}, typeof event.body === 'string' ? event.body : JSON.stringify(event.body, null, 2)));
    $('event').hidden = false;
    if (focus) $('event-title').scrollIntoView();
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value);
    $('token').value = '';
    $('sign-in-error').textContent = '';
    start();
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('filters').addEventListener('change', () => renderEvents());
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  if (sessionStorage.getItem(TOKEN_KEY)) start();
})();
