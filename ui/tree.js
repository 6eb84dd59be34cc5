// A JSON value as a labelled, typed, collapsible tree, as Make shows a bundle: titles and order from the
// module's output schema, dates in local time, amounts in their currency, arrays with counts, schema errors at
// their field, and per field buttons to copy its value or its path.
import { copy, el, plural, timeText } from './dom.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A JSON pointer token, escaped. */
const pointerToken = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** The path Make's mapping panel would use: dots between keys, 1-based [n] for array items. */
function childPath(path, key, inArray) {
  if (inArray) return `${path}[${key + 1}]`;
  return path ? `${path}.${key}` : String(key);
}

function typeOf(schema) {
  const type = schema && schema.type;
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type;
}

/** The schema's properties first, in schema order, then keys the schema does not name. */
function orderedKeys(value, schema) {
  const named = schema && schema.properties ? Object.keys(schema.properties) : [];
  return [...named.filter((key) => key in value), ...Object.keys(value).filter((key) => !named.includes(key))];
}

/** The currency code of the nearest object on the way down that has one (an order's lines share its currency). */
function currencyIn(object, inherited) {
  return object && typeof object.currency === 'string' && /^[A-Za-z]{3}$/.test(object.currency) ? object.currency.toUpperCase() : inherited;
}

/** The first currency code anywhere in a value: a bundle's order lines are in its order's currency. */
function firstCurrency(value) {
  if (value === null || typeof value !== 'object') return null;
  const own = currencyIn(value, null);
  if (own) return own;
  for (const child of Object.values(value)) {
    const found = firstCurrency(child);
    if (found) return found;
  }
  return null;
}

const MONEY = /(amount|price|total|fee|tax|discount)/i;
const IDENTIFIER = /(^id$|Id$|_id$|ID$|^number$|Number$|_number$)/;
const IDENTIFIER_TITLE = /\b(ID|number)$/i;

function scalarView(value, schema, key, currency, asReceived) {
  // The payload as received: each value exactly as the JSON has it, no local dates, currencies or grouping.
  if (asReceived) return el('span', { class: 'value raw' }, typeof value === 'string' ? value : JSON.stringify(value));
  if (value === null || value === undefined) return el('span', { class: 'value empty' }, 'empty');
  if (typeof value === 'boolean') return el('span', { class: `value boolean ${value ? 'yes' : 'no'}` }, value ? 'Yes' : 'No');
  if (typeof value === 'number') {
    // Money by the schema's type and the field's name: a quantity or an id in the same object stays a number.
    if (currency && typeOf(schema) === 'number' && MONEY.test(`${key} ${schema.title || ''}`)) {
      try {
        return el('span', { class: 'value number', title: String(value) }, new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value));
      } catch {
        // An unknown currency code: show the plain number.
      }
    }
    // An identifier is a name, not a quantity: no thousands separators ("Object ID 52841").
    if (IDENTIFIER.test(String(key)) || IDENTIFIER_TITLE.test((schema && schema.title) || '')) return el('span', { class: 'value number' }, String(value));
    return el('span', { class: 'value number', title: String(value) }, value.toLocaleString());
  }
  const text = String(value);
  if ((schema && schema.format === 'date-time') || ISO_DATE.test(text)) {
    const time = timeText(text);
    time.classList.add('value', 'date');
    return time;
  }
  return el('span', { class: 'value text' }, text === '' ? '(empty text)' : text);
}

/**
 * Renders `value` under `schema` (either may be missing). Options: errors (schema violations {pointer, message}),
 * mark (a field's path with array indexes collapsed, `data.order.products[].sku` → a note or null), announce
 * (for the copy buttons), open (depth opened at first), asReceived (values exactly as the JSON has them).
 */
export function valueTree(value, schema, options) {
  const errors = new Map();
  for (const error of options.errors || []) errors.set(error.pointer || '', [...(errors.get(error.pointer || '') || []), error.message]);
  const used = new Set();
  const announce = options.announce;

  function notes(pointer, path) {
    const items = [];
    if (errors.has(pointer)) {
      used.add(pointer);
      items.push(...errors.get(pointer).map((message) => el('span', { class: 'field-error' }, message)));
    }
    const mark = options.mark && options.mark(path.replace(/\[\d+\]/g, '[]'));
    if (mark) items.push(el('span', { class: 'field-mark' }, mark));
    return items;
  }

  function tools(label, node, path) {
    return el('span', { class: 'field-tools' },
      el('button', { type: 'button', class: 'tool', 'aria-label': `Copy value of ${label}`, title: 'Copy value', onclick: () => copy(typeof node === 'string' ? node : JSON.stringify(node, null, 2), `Value of ${label}`, announce) }, 'Copy value'),
      el('button', { type: 'button', class: 'tool', 'aria-label': `Copy path of ${label}`, title: path, onclick: () => copy(path, `Path ${path}`, announce) }, 'Copy path'));
  }

  function node(key, label, item, itemSchema, pointer, path, currency, depth) {
    const invalid = errors.has(pointer);
    if (item !== null && typeof item === 'object') {
      const isArray = Array.isArray(item);
      // An object with no fields (a subscription a one-time sale does not have) says nothing: not shown.
      if (!isArray && Object.keys(item).length === 0 && !invalid) return null;
      const count = isArray ? plural(item.length, 'item') : plural(Object.keys(item).length, 'field');
      const summary = el('summary', {}, el('span', { class: 'field-label' }, label), el('span', { class: 'count' }, count), ...notes(pointer, path));
      const children = isArray
        ? item.map((child, index) => {
          const childSchema = itemSchema && itemSchema.items;
          const childLabel = `${(childSchema && childSchema.title) || label} ${index + 1}`;
          return node(index, childLabel, child, childSchema, `${pointer}/${index}`, childPath(path, index, true), currency, depth + 1);
        })
        : orderedKeys(item, itemSchema).map((childKey) => {
          const childSchema = itemSchema && itemSchema.properties ? itemSchema.properties[childKey] : undefined;
          const childLabel = (childSchema && childSchema.title) || childKey;
          return node(childKey, childLabel, item[childKey], childSchema, `${pointer}/${pointerToken(childKey)}`, childPath(path, childKey, false), currencyIn(item, currency), depth + 1);
        });
      const shown = children.filter(Boolean);
      const empty = shown.length === 0 ? [el('li', { class: 'empty' }, isArray ? 'No items' : 'No fields')] : [];
      // A branch holding an error or a mark starts open, so what needs attention is in view.
      const flagged = summary.querySelector('.field-error, .field-mark') !== null || shown.some((child) => child.classList.contains('flagged'));
      return el('li', { class: `branch${invalid ? ' invalid' : ''}${flagged ? ' flagged' : ''}`, 'data-path': path },
        el('details', depth < (options.open ?? 2) || flagged ? { open: true } : {}, summary, el('ul', {}, shown, empty)),
        tools(label, item, path));
    }
    const leafNotes = notes(pointer, path);
    return el('li', { class: `leaf${invalid ? ' invalid' : ''}${leafNotes.length ? ' flagged' : ''}`, 'data-path': path },
      el('span', { class: 'field-label', title: key === label ? null : String(key) }, label),
      scalarView(item, itemSchema, key, currency, options.asReceived),
      ...leafNotes,
      tools(label, item, path));
  }

  const root = value !== null && typeof value === 'object'
    ? (Array.isArray(value) ? value.map((item, index) => node(index, `Item ${index + 1}`, item, schema && schema.items, `/${index}`, `[${index + 1}]`, firstCurrency(value), 0))
      : orderedKeys(value, schema).map((key) => {
        const childSchema = schema && schema.properties ? schema.properties[key] : undefined;
        return node(key, (childSchema && childSchema.title) || key, value[key], childSchema, `/${pointerToken(key)}`, key, currencyIn(value, firstCurrency(value)), 0);
      }))
    : [node('', 'Value', value, schema, '', '', null, 0)];
  const tree = el('ul', { class: 'tree' }, root.filter(Boolean));
  // Errors no field shows (e.g. at the root, or for a missing field) go above the tree.
  const rest = [...errors.entries()].filter(([pointer]) => !used.has(pointer)).flatMap(([pointer, messages]) => messages.map((message) => el('li', {}, pointer ? `${pointer}: ${message}` : message)));
  return el('div', { class: 'tree-view' }, rest.length ? el('ul', { class: 'field-errors' }, rest) : null, tree);
}

/** A tree with a "Show JSON" toggle beside its title; the raw JSON is the exact value. */
export function treeWithJson(title, value, schema, options) {
  const tree = valueTree(value, schema, options);
  const json = el('pre', { class: 'json', hidden: true }, JSON.stringify(value, null, 2));
  const toggle = el('button', { type: 'button', class: 'secondary small', 'aria-pressed': 'false', onclick: () => {
    const showJson = json.hidden;
    json.hidden = !showJson;
    tree.hidden = showJson;
    toggle.setAttribute('aria-pressed', String(showJson));
  } }, 'Raw JSON');
  return { toggle, body: el('div', {}, tree, json) };
}
