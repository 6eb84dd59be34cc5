/** What a key says about the value under it, judged on its whole words (never on letters inside a word). */
export type Field =
  // leafOnly: a person word alone (`customer`) names a person when it holds text, but an object under it is not all personal.
  | { personal: PersonalKind; leafOnly?: boolean }
  | { safe: SafeKind }
  | { unknown: true };

/** Personal data: learnt (every occurrence elsewhere replaced too) and faked. */
export type PersonalKind =
  | 'email'
  | 'phone'
  | 'ip'
  | 'firstName'
  | 'lastName'
  | 'fullName'
  | 'username'
  | 'company'
  | 'street'
  | 'building'
  | 'zip'
  | 'city'
  | 'state'
  | 'code'
  | 'birth'
  | 'personId';

/** Values kept when they have the shape the key promises: amounts, currencies, product ids, timestamps, codes. */
export type SafeKind = 'amount' | 'currency' | 'productId' | 'timestamp' | 'code';

/** `ip_address` → ip, address; `vatNumber` → vat, number; `IPAddress` → ip, address; `line1` → line, 1. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const set = (...words: string[]) => new Set(words);
const EMAIL = set('email', 'mail', 'emailaddress', 'mailaddress');
const IP = set('ip', 'ipv4', 'ipv6', 'ipaddress', 'ipaddr');
const REMOTE = set('remote', 'client', 'origin');
const HOST_ADDRESS = set('addr', 'address', 'host');
const PHONE = set('phone', 'telephone', 'tel', 'mobile', 'cell', 'cellphone', 'fax', 'gsm', 'phonenumber', 'telefoon', 'mobiel', 'telefoonnummer');
const FIRST = set('firstname', 'givenname', 'forename', 'voornaam');
const FIRST_OF = set('first', 'given', 'fore');
const LAST = set('lastname', 'surname', 'familyname', 'achternaam', 'tussenvoegsel', 'maidenname');
const LAST_OF = set('last', 'family', 'sur', 'maiden');
const USER = set('username', 'login', 'nickname', 'handle', 'screenname', 'alias');
const USER_OF = set('user', 'nick', 'screen', 'login');
const FULL = set('fullname', 'displayname', 'holder', 'owner', 'recipient', 'attention', 'attn', 'initials', 'middlename', 'signatory', 'naam');
// `name` next to one of these names a thing, not a person.
const THING = set('product', 'item', 'plan', 'course', 'event', 'file', 'field', 'shop', 'store', 'brand', 'merchant', 'package', 'variant', 'tier', 'campaign', 'page', 'webhook', 'app', 'template', 'tag', 'category', 'coupon', 'method', 'gateway', 'carrier', 'currency', 'country');
const COMPANY = set('company', 'companyname', 'organisation', 'organization', 'business', 'employer', 'firm', 'bedrijf', 'bedrijfsnaam');
const ZIP = set('zip', 'zipcode', 'postcode', 'postalcode', 'postal', 'postcodes');
const CITY = set('city', 'town', 'woonplaats', 'plaats', 'locality', 'municipality');
const STATE = set('state', 'province', 'region', 'county');
const BUILDING = set('housenumber', 'huisnummer', 'housenr', 'building', 'apartment', 'suite', 'housenumberaddition', 'toevoeging');
const STREET = set('street', 'streetname', 'straat', 'address', 'addr', 'address1', 'address2', 'adres');
const CODE = set('iban', 'bic', 'swift', 'mandate', 'account', 'bank', 'ssn', 'bsn', 'sofi', 'nin', 'tin', 'national', 'passport', 'kvk', 'coc', 'licence', 'license', 'creditcard', 'cvc', 'cvv', 'identity');
// `vat`, `tax` and `card` name a personal number only next to one of these (tax_id, vat_number, card_number).
const NUMBERED = set('vat', 'tax', 'card');
const NUMBER_OF = set('id', 'ids', 'number', 'nr', 'no', 'num', 'code', 'identifier', 'registration');
const AMOUNT_OF = set('amount', 'total', 'rate', 'percent', 'percentage', 'price', 'included', 'excluded');
const ADDRESS = set('address', 'addresses', 'billing', 'shipping');
const BIRTH = set('birth', 'birthday', 'birthdate', 'dob', 'born', 'geboortedatum');
const PERSON = set('customer', 'user', 'member', 'client', 'buyer', 'payer', 'affiliate', 'contact', 'person', 'subscriber', 'lead', 'referrer', 'profile', 'klant', 'guest');
const ID = set('id', 'ids', 'uuid', 'guid', 'number', 'nr', 'no', 'key', 'ref', 'reference', 'token', 'hash');
const AMOUNT = set('amount', 'amounts', 'total', 'subtotal', 'price', 'prices', 'fee', 'fees', 'cost', 'costs', 'discount', 'quantity', 'qty', 'count', 'rate', 'percent', 'percentage', 'tax', 'vat', 'weight');
const CURRENCY = set('currency', 'currencies');
const PRODUCT = set('product', 'products', 'variant', 'variants', 'sku', 'plan', 'plans');
const TIME = set('at', 'date', 'time', 'timestamp', 'datetime', 'created', 'updated', 'modified', 'deleted', 'expires', 'expiry', 'since', 'until');
// Keys whose lower-case one-word values are codes from a fixed list (a status, a type, a payment method).
const ENUM_LIKE = set('status', 'type', 'types', 'mode', 'interval', 'frequency', 'period', 'kind', 'method', 'provider', 'gateway', 'carrier', 'locale', 'language', 'lang', 'country', 'event', 'action');

const any = (words: string[], of: Set<string>) => words.some((word) => of.has(word));

function personalKind(words: string[], parent: string[]): PersonalKind | undefined {
  if (any(words, BIRTH)) return 'birth';
  if (any(words, EMAIL) || (words.includes('e') && words.includes('mail'))) return 'email';
  if (any(words, IP) || (any(words, REMOTE) && any(words, HOST_ADDRESS))) return 'ip';
  if (any(words, PHONE)) return 'phone';
  if (any(words, FIRST) || (any(words, FIRST_OF) && words.includes('name'))) return 'firstName';
  if (any(words, LAST) || (any(words, LAST_OF) && words.includes('name'))) return 'lastName';
  if (any(words, USER) || (any(words, USER_OF) && words.includes('name'))) return 'username';
  if (any(words, COMPANY)) return 'company';
  if (words.includes('name')) return any(words, THING) ? undefined : 'fullName';
  if (any(words, FULL)) return 'fullName';
  if (any(words, ZIP)) return 'zip';
  if (any(words, CITY)) return 'city';
  if (any(words, STATE)) return 'state';
  if (any(words, BUILDING) || (words.includes('house') && any(words, NUMBER_OF))) return 'building';
  if (any(words, CODE) || (any(words, NUMBERED) && any(words, NUMBER_OF) && !any(words, AMOUNT_OF))) return 'code';
  if (any(words, STREET) || (words[0] === 'line' && /^\d$/.test(words[1] ?? ''))) return 'street';
  if (any(words, PERSON) && any(words, ID)) return 'personId';
  if (words.length > 0 && words.every((word) => ID.has(word)) && any(parent, PERSON)) return 'personId';
  if (words.includes('number') && any(parent, ADDRESS)) return 'building';
  return undefined;
}

function safeKind(words: string[], parent: string[]): SafeKind | undefined {
  if (any(words, CURRENCY)) return 'currency';
  if (any(words, PRODUCT) && (words.includes('id') || words.includes('ids') || words.includes('sku'))) return 'productId';
  if (words.length > 0 && words.every((word) => word === 'id' || word === 'ids' || word === 'sku') && any(parent, PRODUCT)) return 'productId';
  if (words.at(-1) === 'at' || any(words, TIME)) return 'timestamp';
  if (any(words, AMOUNT)) return 'amount';
  if (any(words, ENUM_LIKE)) return 'code';
  return undefined;
}

/** What the value under `key` is, with the words of the key of the object holding it (`products` for a product's `id`). */
export function fieldOf(key: string, parent: string[]): Field {
  const words = keyWords(key);
  const personal = personalKind(words, parent);
  if (personal) return { personal };
  if (words.length === 1 && PERSON.has(words[0])) return { personal: 'fullName', leafOnly: true };
  const safe = safeKind(words, parent);
  return safe ? { safe } : { unknown: true };
}
