import { createHash } from 'node:crypto';
import { en, Faker } from '@faker-js/faker';

/** What a value is, judged from its key (or a custom field's label): it decides the fake that replaces it. */
type Kind =
  | 'keep'
  | 'email'
  | 'phone'
  | 'ip'
  | 'url'
  | 'firstName'
  | 'lastName'
  | 'fullName'
  | 'company'
  | 'street'
  | 'building'
  | 'zip'
  | 'city'
  | 'state'
  | 'code'
  | 'product'
  | 'text';

// Personal kinds, tried first, on the key with everything but letters and digits removed (firstName, first_name).
const PERSONAL: Array<[RegExp, Kind]> = [
  [/e?mail/, 'email'],
  [/phone|mobile|fax|^tel$/, 'phone'],
  [/^ip$|ipaddress|ipv[46]|clientip|remoteip|remoteaddr/, 'ip'],
  [/(url|uri|link|href|website)$/, 'url'],
  [/firstname|givenname|voornaam/, 'firstName'],
  [/lastname|surname|familyname|achternaam/, 'lastName'],
  [/company|organi[sz]ation|business/, 'company'],
  [/housenumber|housenr|building/, 'building'],
  [/street|address|line[12]$/, 'street'],
  [/zip|postcode|postalcode/, 'zip'],
  [/city|town/, 'city'],
  [/^(state|province|region)$/, 'state'],
  [/vat|iban|bic$|^coc|kvk|taxid|ssn|passport|birth|^dob$/, 'code'],
  [/productname|producttitle|^title$/, 'product'],
  [/name/, 'fullName'],
];

// Values kept as they are: identifiers, amounts, currencies, statuses, dates and types (on the raw key: createdAt).
const KEPT = /(^id$|Id$|_id$|^ids$|Ids$|_ids$|uuid|guid|^sku$|_at$|At$|date|Date|time|Time|status|Status|type$|Type$|currency|Currency|amount|Amount|price|Price|total|Total|tax|Tax|quantity|Quantity|^qty$|count$|Count$|interval|^mode$|^source$|provider|method|^label$|country|Country|locale|language|carrier|^is_?[a-z]|^is[A-Z]|^has_?[a-z]|^has[A-Z]|coupon|version|rate$|percent|discount|invoice_?number|order_?number|tracking_?number|InvoiceNumber|OrderNumber|TrackingNumber|reference)/;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IP = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]*:[0-9a-f:]+$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const PHONE = /^\+?[\d\s().-]{7,}$/;
// Identifiers inside a URL path: digits only, hex or a uuid, or prefix_ plus something with a digit (ord_8f3k2j).
const PATH_ID = /^(\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f-]{27}|[a-z]{2,8}_[a-z0-9]*\d[a-z0-9]*)$/i;

/** What a key says about its value. */
function kindOfKey(key: string): Kind {
  const compact = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [pattern, kind] of PERSONAL) if (pattern.test(compact)) return kind;
  return KEPT.test(key) ? 'keep' : 'text';
}

/** What a text value is by its look alone (personal data under a harmless key, such as an email as an id). */
function kindOfText(text: string): Kind | undefined {
  if (EMAIL.test(text)) return 'email';
  if (/^https?:\/\//i.test(text)) return 'url';
  if (IP.test(text) && text.length >= 7) return 'ip';
  return undefined;
}

const faker = new Faker({ locale: [en] });

// Seeded from the original value: the same input always gets the same fake (in this and every later capture),
// so a customer's email is the same fake wherever it appears.
function seeded<T>(kind: Kind, original: string, make: (f: Faker) => T): T {
  faker.seed(createHash('sha256').update(`${kind}\u0000${original}`).digest().readUInt32BE(0));
  return make(faker);
}

// Letters stay letters (case kept), digits stay digits, the rest stays: a VAT number still looks like one.
function sameFormat(f: Faker, text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => (ch === ch.toUpperCase() ? f.string.alpha({ casing: 'upper' }) : f.string.alpha({ casing: 'lower' }))).replace(/\d/g, () => f.string.numeric());
}

function fakeText(kind: Kind, text: string): string {
  if (text.trim() === '') return text;
  // Surrounding spaces are kept: they show what the mapping's trim() does.
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  const fake = seeded(kind, core, (f): string => {
    switch (kind) {
      case 'email':
        return f.internet.email().toLowerCase();
      case 'phone':
        return core.startsWith('+') ? `+${sameFormat(f, core.slice(1))}` : sameFormat(f, core);
      case 'ip':
        return core.includes(':') ? f.internet.ipv6() : f.internet.ipv4();
      case 'url':
        return scrubUrl(core);
      case 'firstName':
        return f.person.firstName();
      case 'lastName':
        return f.person.lastName();
      case 'fullName':
        return f.person.fullName();
      case 'company':
        return f.company.name();
      case 'street':
        return f.location.streetAddress();
      case 'building':
        return f.location.buildingNumber();
      case 'zip':
        return f.location.zipCode();
      case 'city':
        return f.location.city();
      case 'state':
        return f.location.state();
      case 'code':
        return sameFormat(f, core);
      case 'product':
        return f.commerce.productName();
      default:
        return f.lorem.words(Math.min(30, Math.max(1, core.split(/\s+/).length)));
    }
  });
  return `${lead}${fake}${trail}`;
}

/** A URL with its host and identifiers kept, and everything else (user, other path parts, query values, fragment) faked. */
function scrubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fakeText('text', text);
  }
  url.username = url.username ? fakeText('text', decodeURIComponent(url.username)) : '';
  url.password = '';
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (segment === '' || PATH_ID.test(segment) ? segment : encodeURIComponent(fakeText('text', decodeURIComponent(segment)).replace(/\s+/g, '-'))))
    .join('/');
  const query = new URLSearchParams();
  url.searchParams.forEach((value, key) => query.append(key, String(scrubValue(value, key))));
  url.search = query.toString();
  url.hash = url.hash ? fakeText('text', url.hash.slice(1)) : '';
  return url.toString();
}

function scrubNumber(value: number, kind: Kind): number {
  if (!['phone', 'zip', 'building', 'code'].includes(kind)) return value;
  return Number(seeded(kind, String(value), (f) => String(value).replace(/\d/g, () => f.string.numeric()).replace(/^0/, '1')));
}

function scrubValue(value: unknown, key: string, kind: Kind = kindOfKey(key)): unknown {
  if (typeof value === 'string') {
    const looks = kindOfText(value);
    if (looks) return fakeText(looks, value);
    if (kind === 'keep' || (kind === 'text' && DATE.test(value))) return value;
    return fakeText(kind === 'text' && PHONE.test(value) ? 'phone' : kind, value);
  }
  if (typeof value === 'number') return scrubNumber(value, kind);
  if (Array.isArray(value)) return value.map((element) => scrubValue(element, key, kind));
  if (typeof value === 'object' && value !== null) return scrubObject(value as Record<string, unknown>);
  return value;
}

function scrubObject(object: Record<string, unknown>): Record<string, unknown> {
  // A custom field ({ label, value }): the label says what the value is (e.g. "Company", "VAT number").
  const labelled = typeof object.label === 'string' && 'value' in object ? kindOfKey(object.label) : undefined;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const kind = key === 'value' && labelled !== undefined ? (labelled === 'keep' ? 'text' : labelled) : kindOfKey(key);
    Object.defineProperty(result, key, { value: scrubValue(value, key, kind), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * A payload with its personal data replaced by realistic fakes: names, emails, phone numbers, addresses,
 * custom field values, IPs and free text (also inside URLs and arrays); identifiers, amounts, currencies,
 * statuses, dates and types are kept. Deterministic: each fake is seeded from the value it replaces.
 */
export function scrubPayload(payload: unknown): unknown {
  return scrubValue(payload, '');
}
