// The webhooks view: each webhook's URL, its triggers (named and ordered as the app defines its modules), the
// add-trigger form (the product filter filled by the app's listProducts RPC when an API token is configured)
// and send-a-sample.
import { copy, el, fill } from './dom.js';

/** The modules in the app's order, grouped by their group (in order of first appearance). */
function groups(modules) {
  const byGroup = new Map();
  for (const module of modules) byGroup.set(module.group || 'Other', [...(byGroup.get(module.group || 'Other') || []), module]);
  return [...byGroup.entries()];
}

function moduleSelect(modules, attributes) {
  return el('select', attributes, groups(modules).map(([group, items]) => el('optgroup', { label: group }, items.map((module) => el('option', { value: module.name }, module.label)))));
}

/** The options of an RPC-filled parameter, fetched once per view; {configured:false} or {error} when unavailable. */
function rpcOptions(api) {
  const cache = new Map();
  return (name) => {
    if (!cache.has(name)) cache.set(name, api('GET', `/api/rpcs/${encodeURIComponent(name)}/options`).catch((error) => ({ error: error.message })));
    return cache.get(name);
  };
}

async function parameterField(parameter, formId, optionsOf) {
  const id = `${formId}-${parameter.name}`;
  if (parameter.type === 'boolean') {
    return el('div', { class: 'check' }, el('input', { id, name: parameter.name, type: 'checkbox', checked: parameter.default === true }), el('label', { for: id }, parameter.label));
  }
  const rpc = typeof parameter.options === 'string' && parameter.options.startsWith('rpc://') ? parameter.options.slice(6) : null;
  if (rpc) {
    const answer = await optionsOf(rpc);
    if (answer.configured && answer.items.length > 0) {
      const hintId = `${id}-hint`;
      return el('div', { class: 'field' },
        el('label', { for: id }, parameter.label),
        el('select', { id, name: parameter.name, multiple: true, size: String(Math.min(6, answer.items.length)), 'aria-describedby': hintId, 'data-kind': 'multi' },
          answer.items.map((option) => el('option', { value: option.value }, option.label))),
        el('p', { class: 'hint', id: hintId }, `${parameter.help || ''} Hold Ctrl (⌘ on a Mac) to choose several.`.trim()));
    }
    const why = answer.error
      ? `The product list could not be loaded (${answer.error}).`
      : answer.configured ? 'The API lists no products.' : 'No API token is configured (PLUGNPAID_API_TOKEN), so products cannot be listed.';
    const noteId = `${id}-note`;
    return el('div', { class: 'field' },
      el('label', { for: id }, `${parameter.label} (ids, comma-separated)`),
      el('input', { id, name: parameter.name, placeholder: 'e.g. prod_course, prod_workbook', 'aria-describedby': noteId, 'data-kind': 'list' }),
      el('p', { class: 'hint', id: noteId }, `${why} Enter product ids separated by commas; leave empty for every product.`));
  }
  return el('div', { class: 'field' },
    el('label', { for: id }, parameter.multiple ? `${parameter.label} (comma-separated)` : parameter.label),
    el('input', { id, name: parameter.name, placeholder: parameter.help || '', 'data-kind': parameter.multiple ? 'list' : 'text' }));
}

function parameterValues(form, module) {
  const parameters = {};
  for (const parameter of module.parameters) {
    const input = form.elements[parameter.name];
    if (!input) continue;
    if (parameter.type === 'boolean') parameters[parameter.name] = input.checked;
    else if (input.dataset.kind === 'multi') {
      const chosen = [...input.selectedOptions].map((option) => option.value);
      if (chosen.length) parameters[parameter.name] = chosen;
    } else if (input.value.trim()) {
      parameters[parameter.name] = input.dataset.kind === 'list' ? input.value.split(',').map((v) => v.trim()).filter(Boolean) : input.value.trim();
    }
  }
  return parameters;
}

function addTriggerForm(webhook, triggers, context, optionsOf, rerender) {
  const modules = context.modules();
  const formId = `add-${webhook.id}`;
  const select = moduleSelect(modules, { id: `${formId}-module`, name: 'module' });
  const fields = el('div', { class: 'fields' });
  const error = el('p', { class: 'error', role: 'alert' });
  const result = el('div', { role: 'status' });
  const submit = el('button', { type: 'submit' }, 'Add trigger');
  // A second trigger of a module already attached doubles its bundles: the first press says so, the second adds it.
  let confirmedDuplicate = null;
  const resetDuplicate = () => {
    confirmedDuplicate = null;
    submit.textContent = 'Add trigger';
    fill(result);
  };
  const renderFields = async () => {
    resetDuplicate();
    const module = modules.find((m) => m.name === select.value);
    fill(fields, ...(await Promise.all(module.parameters.map((p) => parameterField(p, formId, optionsOf)))));
  };
  select.addEventListener('change', renderFields);
  const destinationHint = `${formId}-destination-hint`;
  const destination = el('input', { id: `${formId}-destination`, name: 'destination', type: 'url', placeholder: 'https://…', 'aria-describedby': destinationHint });
  // No browser validation: the API's own message says what is wrong.
  const form = el('form', { class: 'add-trigger', novalidate: true, 'aria-label': `Add a trigger to ${webhook.name}` },
    el('h4', {}, 'Add a trigger'),
    el('div', { class: 'field' }, el('label', { for: select.id }, 'Module'), select),
    fields,
    el('div', { class: 'field' }, el('label', { for: destination.id }, 'Destination URL'), destination, el('p', { class: 'hint', id: destinationHint }, 'Empty: the bundles are kept for pulling.')),
    el('div', { class: 'submit' }, submit),
    error, result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const module = modules.find((m) => m.name === select.value);
    const existing = triggers.filter((trigger) => trigger.module === module.name);
    if (existing.length > 0 && confirmedDuplicate !== module.name) {
      confirmedDuplicate = module.name;
      submit.textContent = 'Add a second trigger';
      fill(result, el('p', { class: 'notice' }, `${webhook.name} already has a ${module.label} trigger (${existing.map((trigger) => trigger.id).join(', ')}): each event would make bundles for both. Press “Add a second trigger” to add it anyway, or remove the first one to replace it.`));
      return;
    }
    const body = { module: module.name, parameters: parameterValues(form, module), ...(destination.value ? { destination: { url: destination.value } } : {}) };
    try {
      const created = await context.api('POST', `/api/webhooks/${encodeURIComponent(webhook.id)}/triggers`, body);
      resetDuplicate();
      context.announce(`${module.label} added`);
      await rerender(created.secret ? { trigger: created.id, secret: created.secret } : null);
    } catch (failure) {
      error.textContent = `Could not add the trigger: ${failure.message}`;
    }
  });
  return { form, ready: renderFields() };
}

function sendSampleForm(webhook, context) {
  const id = `sample-${webhook.id}`;
  const select = moduleSelect(context.modules(), { id });
  // A repeated body is a duplicate the runtime keeps once: said where the button is, with the way to process it again.
  const duplicate = el('p', { class: 'notice', hidden: true });
  const form = el('form', { class: 'row', 'aria-label': `Sample event for ${webhook.name}`, onsubmit: async (event) => {
    event.preventDefault();
    duplicate.hidden = true;
    try {
      const stored = await context.api('POST', `/api/webhooks/${encodeURIComponent(webhook.id)}/samples`, { module: select.value });
      if (!stored.duplicate) {
        context.announce(`Sample stored as event ${stored.event}`);
        location.hash = `#/events/${stored.event}`;
        return;
      }
      fill(duplicate, 'This sample is the same body as ', el('a', { href: `#/events/${stored.event}` }, `event ${stored.event}`),
        ', already received, so nothing new was stored (a webhook keeps a repeated body once). Open that event and use Replay event to process it again.');
      duplicate.hidden = false;
      context.announce(`Sample already received as event ${stored.event}`);
    } catch (failure) {
      context.announce(`Could not send the sample: ${failure.message}`);
    }
  } }, el('div', { class: 'field' }, el('label', { for: id }, 'Send a sample'), select), el('button', { type: 'submit', class: 'secondary' }, 'Send sample'));
  return el('div', {}, form, duplicate);
}

function triggerList(webhook, triggers, context, rerender, created) {
  const modules = context.modules();
  const order = (name) => {
    const index = modules.findIndex((m) => m.name === name);
    return index < 0 ? modules.length : index;
  };
  const sorted = [...triggers].sort((a, b) => order(a.module) - order(b.module));
  if (sorted.length === 0) return el('p', { class: 'empty-state' }, 'No triggers yet: add one below, so events of this webhook become bundles.');
  const byGroup = groups(sorted.map((trigger) => ({ ...trigger, group: (modules.find((m) => m.name === trigger.module) || {}).group })));
  return el('div', { class: 'triggers' }, byGroup.map(([group, items]) => el('div', { class: 'trigger-group' },
    el('h4', {}, group),
    el('ul', { 'aria-label': `${group} triggers of ${webhook.name}` }, items.map((trigger) => {
      const label = context.moduleLabel(trigger.module);
      const products = Array.isArray(trigger.parameters.products) && trigger.parameters.products.length ? `products ${trigger.parameters.products.join(', ')}` : null;
      // Removing cannot be undone (its bundles and signing secret go with it): the button asks first.
      const removeButton = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${label}` }, 'Remove');
      const remove = el('span', { class: 'remove' }, removeButton);
      removeButton.addEventListener('click', () => {
        const cancel = el('button', { type: 'button', class: 'secondary small', onclick: () => {
          fill(remove, removeButton);
          removeButton.focus();
        } }, 'Cancel');
        fill(remove, el('span', {}, `Remove ${label}? `),
          el('button', { type: 'button', class: 'small', onclick: async () => {
            await context.api('DELETE', `/api/triggers/${encodeURIComponent(trigger.id)}`);
            context.announce(`${label} removed`);
            await rerender(null);
          } }, 'Yes, remove'), ' ', cancel);
        cancel.focus();
      });
      return el('li', { 'data-trigger': trigger.id },
        el('span', { class: 'trigger-name' }, label),
        el('code', { class: 'trigger-id' }, trigger.id),
        el('button', { type: 'button', class: 'secondary small', 'aria-label': `Copy id of ${label}`, onclick: () => copy(trigger.id, 'Trigger id', context.announce) }, 'Copy id'),
        el('span', { class: 'muted' }, trigger.destination ? `→ ${trigger.destination.url}` : 'kept for pulling'),
        products ? el('span', { class: 'muted' }, products) : null,
        trigger.parameters.bundlePerOrderLine ? el('span', { class: 'muted' }, 'one bundle per order line') : null,
        trigger.stopped ? el('span', { class: 'error' }, `stopped: ${trigger.stopped}`) : null,
        created && created.trigger === trigger.id ? el('p', { class: 'notice' }, 'Signing secret for verifying deliveries (shown once): ', el('code', {}, created.secret), ' ',
          el('button', { type: 'button', class: 'secondary small', onclick: () => copy(created.secret, 'Signing secret', context.announce) }, 'Copy secret')) : null,
        remove);
    })))));
}

async function webhookCard(webhook, single, context, optionsOf, created, rerender) {
  const triggers = (await context.api('GET', `/api/webhooks/${encodeURIComponent(webhook.id)}/triggers`)).items;
  const title = single ? el('h3', {}, webhook.name) : el('h3', {}, el('a', { href: `#/webhooks/${encodeURIComponent(webhook.id)}` }, webhook.name));
  const card = el('article', { class: 'card', 'data-webhook': webhook.id, 'aria-label': `Webhook ${webhook.name}` },
    title,
    el('p', { class: 'url-row' }, el('span', { class: 'url' }, webhook.url), ' ',
      el('button', { type: 'button', class: 'secondary small', onclick: () => copy(webhook.url, 'Webhook URL', context.announce) }, 'Copy URL')),
    el('p', { class: 'muted' }, webhook.secret ? `Checks a ${webhook.secret.kind === 'hmac' ? 'signature' : 'token'} in ${webhook.secret.header || 'the query'}.` : 'No shared secret: anyone with the URL can post to it.'),
    el('h4', {}, 'Triggers'),
    triggerList(webhook, triggers, context, rerender, created));
  if (!single) {
    card.append(el('p', {}, el('a', { href: `#/webhooks/${encodeURIComponent(webhook.id)}` }, `Manage the triggers of ${webhook.name}`)));
    return card;
  }
  const { form, ready } = addTriggerForm(webhook, triggers, context, optionsOf, rerender);
  await ready;
  card.append(form, sendSampleForm(webhook, context));
  return card;
}

/** Renders #/webhooks (every webhook) or #/webhooks/<id> (one, with its forms) into `container`. */
export async function webhooksView(container, id, context) {
  const optionsOf = rpcOptions(context.api);
  const render = async (created) => {
    const webhooks = (await context.api('GET', '/api/webhooks')).items;
    const shown = id ? webhooks.filter((webhook) => webhook.id === id) : webhooks;
    if (shown.length === 0) {
      fill(container, el('p', { class: 'empty-state' }, id ? `There is no webhook ${id}. ` : 'No webhooks yet. ', el('a', { href: '#/webhooks' }, 'See all webhooks')));
      return;
    }
    const single = shown.length === 1;
    const cards = await Promise.all(shown.map((webhook) => webhookCard(webhook, single, context, optionsOf, created, render)));
    fill(container, ...(id ? [el('p', {}, el('a', { href: '#/webhooks' }, '← All webhooks'))] : []), ...cards);
  };
  await render(null);
}
