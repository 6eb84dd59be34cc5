import { isRecord } from '../iml/values';
import type { ScrubVocabulary } from './app-vocabulary';
import { Fakes } from './fakes';
import { Field, fieldOf, keyWords, SafeKind } from './key-words';
import { Learnt } from './learnt';
import { isNumeric, isTimestamp, shapeOf } from './shapes';

// A status, type or payment method kept as it is: one lower-case word, or a country or language code (NL, en-US).
const CODE = /^([a-z][a-z0-9_.-]{0,39}|[A-Za-z]{2}([-_][A-Za-z]{2})?)$/;
const CURRENCY = /^[A-Za-z]{3}$/;

/** Where a value sits: what its key says, and the words of the key of the object or array holding it. */
interface Place {
  field: Field;
  parent: string[];
}

/** An entry of an object (with its key) or an element of an array; `label` marks a custom field's label. */
interface Child {
  key?: string;
  value: unknown;
  place: Place;
  label: boolean;
}

const UNKNOWN: Field = { unknown: true };

/**
 * The entries of an object, each with its place. A custom field ({ label, value }) is judged by its label
 * ("VAT number"); an entry whose key says nothing takes what the object's own key says (`total: { value }`,
 * `name: { first, last }`), except under a person word alone (`customer`), which holds much that is not personal.
 */
function entries(object: Record<string, unknown>, place: Place): Child[] {
  const labelField = typeof object.label === 'string' && 'value' in object ? fieldOf(object.label, []) : undefined;
  const inherited = 'unknown' in place.field || ('personal' in place.field && place.field.leafOnly) ? undefined : place.field;
  return Object.entries(object).map(([key, value]) => {
    let field = fieldOf(key, place.parent);
    if (labelField && key === 'value') field = 'personal' in labelField ? labelField : UNKNOWN;
    else if (inherited && 'unknown' in field) field = inherited;
    return { key, value, place: { field, parent: keyWords(key) }, label: labelField !== undefined && key === 'label' };
  });
}

function children(value: unknown, place: Place): Child[] {
  if (Array.isArray(value)) return value.map((element) => ({ value: element, place, label: false }));
  return isRecord(value) ? entries(value, place) : [];
}

/** Learns every personal value of the payload (and email-shaped keys and values anywhere). */
function learn(value: unknown, place: Place, learnt: Learnt): void {
  const personal = 'personal' in place.field ? place.field.personal : undefined;
  if (typeof value === 'string' || typeof value === 'number') {
    if (personal) learnt.add(personal, String(value));
    else if (typeof value === 'string' && shapeOf(value.trim()) === 'email') learnt.add('email', value);
    return;
  }
  for (const child of children(value, place)) {
    if (child.key !== undefined && shapeOf(child.key) === 'email') learnt.add('email', child.key);
    learn(child.value, child.place, learnt);
  }
}

class Scrubber {
  readonly learnt = new Learnt();
  readonly fakes = new Fakes((text) => this.learnt.contains(text));

  constructor(private readonly vocabulary: ScrubVocabulary) {}

  value(value: unknown, place: Place): unknown {
    if (typeof value === 'string') return this.text(value, place.field);
    if (typeof value === 'number') return this.number(value, place.field);
    if (Array.isArray(value)) return children(value, place).map((child) => this.value(child.value, child.place));
    if (isRecord(value)) {
      const result: Record<string, unknown> = {};
      for (const child of children(value, place)) {
        const scrubbed = child.label ? this.redact(child.value as string) : this.value(child.value, child.place);
        Object.defineProperty(result, this.key(child.key!), { value: scrubbed, enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    return value;
  }

  private number(value: number, field: Field): number {
    if ('safe' in field && field.safe !== 'currency' && (field.safe !== 'timestamp' || isTimestamp(value))) return value;
    return this.fakes.number(value);
  }

  private text(text: string, field: Field): string {
    if (shapeOf(text.trim()) === 'url') return this.url(text);
    if ('personal' in field) return this.redact(this.fakes.personal(field.personal, text));
    if (this.vocabulary.constants.has(text)) return text;
    if ('safe' in field) {
      const kept = this.kept(text, field.safe);
      if (kept !== undefined) return kept;
    }
    return this.redact(this.fakes.byShape(text));
  }

  /** A safe value as it is (amounts and timestamps verbatim, ids and codes with learnt values replaced), or undefined when it does not have the promised shape. */
  private kept(text: string, safe: SafeKind): string | undefined {
    switch (safe) {
      case 'amount':
        return isNumeric(text.trim()) ? text : undefined;
      case 'timestamp':
        return isTimestamp(text.trim()) ? text : undefined;
      case 'currency':
        return CURRENCY.test(text) ? text : undefined;
      case 'productId':
        return this.redact(text);
      case 'code':
        return CODE.test(text) ? this.redact(text) : undefined;
    }
  }

  private key(key: string): string {
    if (this.vocabulary.structuralKeys.has(key)) return key;
    const shape = shapeOf(key);
    return this.redact(['email', 'ip', 'phone'].includes(shape) ? this.fakes.byShape(key) : key);
  }

  /** A URL keeps its scheme and host (learnt values replaced); its credentials go, and every path part, query value and fragment is faked by shape. */
  private url(text: string): string {
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      return this.redact(this.fakes.byShape(text));
    }
    url.username = '';
    url.password = '';
    url.hostname = this.redact(url.hostname);
    url.pathname = url.pathname
      .split('/')
      .map((segment) => (segment === '' ? segment : encodeURIComponent(this.fakes.byShape(decodeURIComponent(segment)).replace(/\s+/g, '-'))))
      .join('/');
    const query = new URLSearchParams();
    url.searchParams.forEach((value, key) => query.append(this.key(key), String(this.value(value, { field: fieldOf(key, []), parent: [] }))));
    url.search = query.toString();
    url.hash = url.hash ? this.fakes.byShape(decodeURIComponent(url.hash.slice(1))).replace(/\s+/g, '-') : '';
    return this.redact(url.toString());
  }

  private redact(text: string): string {
    return this.learnt.redact(text, this.fakes);
  }
}

/**
 * A payload with its personal data replaced by fakes, in two steps. First the personal values of this event are
 * learnt (everything under a personal field: names, emails, phones, addresses, tax and bank numbers, ids of
 * people, birthdays; and any email): every occurrence of them and of their parts is replaced everywhere, in
 * values, keys, host names and free text. Then only values known to be safe are kept (what the app declares:
 * event types, enums, options; amounts, currencies, product ids, timestamps, booleans, status-like codes), and
 * everything else is faked by its shape (a date stays a real date in the same layout). Deterministic: each fake
 * is seeded from the value it replaces.
 */
export function scrubPayload(payload: unknown, vocabulary: ScrubVocabulary): unknown {
  const scrubber = new Scrubber(vocabulary);
  const root: Place = { field: UNKNOWN, parent: [] };
  learn(payload, root, scrubber.learnt);
  return scrubber.value(payload, root);
}
