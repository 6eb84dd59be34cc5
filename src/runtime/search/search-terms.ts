/**
 * What the event search indexes: the identifiers a person looks an event up by (order, customer, product,
 * invoice and tracking ids and numbers, emails), taken from the parsed payload. Only these, not the whole
 * body: indexing every word of a 5 kB payload cost more than the 5 % of the pipeline rate the search may take.
 */
const IDENTIFIER_KEY = /(^id$|_id$|[a-z]Id$|^sku$|[Ee]mail|[Nn]umber|[Rr]eference|[Cc]ode$)/;
const MAX_TERMS = 200;
const MAX_TERM_LENGTH = 200;

/** The identifier values of a payload, space-separated (duplicates once), bounded in count and length. */
export function searchTerms(body: unknown): string {
  const terms = new Set<string>();
  const walk = (value: unknown, key: string): void => {
    if (terms.size >= MAX_TERMS) return;
    if (typeof value === 'string') {
      if ((IDENTIFIER_KEY.test(key) || value.includes('@')) && value.length <= MAX_TERM_LENGTH) terms.add(value);
    } else if (typeof value === 'number') {
      if (IDENTIFIER_KEY.test(key)) terms.add(String(value));
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, key);
    } else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) walk(item, name);
    }
  };
  walk(body, '');
  return [...terms].join(' ');
}

/** Bounds on one search's cost: words per query, and the shortest word used as an index prefix. */
export const SEARCH_LIMITS = { words: 8, minPrefix: 3 };

/** Text as the search compares it: lower case, accents removed, the same for the payload and the query. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a search text, folded. */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The FTS5 query for a search text: every word of SEARCH_LIMITS.minPrefix characters or more as a word start, all
 * required (the index's tokenizer splits `ord_8f3k2j` and `ada@example.com` into words the same way, and folds
 * case and accents as foldText does). Shorter words would expand to most of the index; the caller's confirmation
 * against the body checks them. Null when no word is long enough.
 */
export function matchQuery(text: string): string | null {
  const words = searchWords(text).filter((word) => word.length >= SEARCH_LIMITS.minPrefix);
  return words.length > 0 ? words.map((word) => `"${word}"*`).join(' AND ') : null;
}
