// DOM and formatting helpers shared by the inspector's views. Every value is set as text: payloads are untrusted.

/** An element with attributes (`on…` become listeners, `class` the class name) and children (text or nodes; null skipped). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** Replaces a node's children, skipping null and false (which `replaceChildren` would print as text). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** A date as local time, with the ISO value on hover and in the `datetime` attribute. */
export function timeText(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', {}, String(iso));
  return el('time', { datetime: date.toISOString(), title: date.toISOString() }, date.toLocaleString());
}

/** Text that may wrap after each underscore (long event types such as recurring_subscription_cancelled). */
export function breakable(text) {
  return String(text).split('_').flatMap((part, index, parts) => (index < parts.length - 1 ? [`${part}_`, el('wbr', {})] : [part]));
}

/** "1 bundle" / "2 bundles". */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Copies text and says so (or why not) through `announce`. */
export async function copy(text, what, announce) {
  try {
    await navigator.clipboard.writeText(text);
    announce(`${what} copied`);
  } catch {
    announce(`Could not copy ${what.toLowerCase()}: the browser refused access to the clipboard`);
  }
}
