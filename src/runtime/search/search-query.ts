import type { Database } from 'better-sqlite3';
import { RequestError } from '../request-error';
import { foldText, matchQuery, SEARCH_LIMITS, searchWords } from './search-terms';

const MAX_QUERY_LENGTH = 200;

/** A search that ran past its time budget: answered 400, the event loop free again. */
class SearchTooSlow extends RequestError {
  constructor(budgetMs: number) {
    super(400, `the search took longer than ${budgetMs} ms and was stopped; search for a longer, rarer text (a whole order id or email)`);
  }
}

// A stored body as text with its JSON escapes decoded (`jos\u00e9` is `josé`), so it reads as the sender meant it.
function decodedBody(body: Buffer): string {
  const text = body.toString('utf8');
  if (!text.includes('\\')) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * Registers `search_confirm(body, folded text, deadline)`, which confirms an index hit against the stored body
 * and stops the whole query (SearchTooSlow) once the deadline has passed: SQLite calls it per candidate event,
 * so no search holds the event loop much past its budget.
 */
export function registerSearchFunctions(db: Database, budgetMs: number): void {
  db.function('search_confirm', { deterministic: false }, (body: unknown, folded: unknown, deadline: unknown) => {
    if (Date.now() >= Number(deadline)) throw new SearchTooSlow(budgetMs);
    return Buffer.isBuffer(body) && foldText(decodedBody(body)).includes(String(folded)) ? 1 : 0;
  });
}

/**
 * The SQL conditions (over `events`) for "the payload contains this text": the FTS5 index narrows the events
 * to those with every word of the text (at most SEARCH_LIMITS.words, each of SEARCH_LIMITS.minPrefix characters
 * or more; shorter ones are left to the confirmation), and the stored body confirms the text itself, folded.
 */
export function searchClauses(text: string, deadline: number): { clauses: string[]; values: unknown[] } {
  const trimmed = text.trim();
  if (trimmed.length > MAX_QUERY_LENGTH) throw new RequestError(400, `q is ${trimmed.length} characters long; search for at most ${MAX_QUERY_LENGTH} (an order id, an email)`);
  const words = searchWords(trimmed).length;
  if (words > SEARCH_LIMITS.words) throw new RequestError(400, `q has ${words} words; search for at most ${SEARCH_LIMITS.words} (an order id, an email)`);
  const match = matchQuery(trimmed);
  if (!match) throw new RequestError(400, `q needs a word of at least ${SEARCH_LIMITS.minPrefix} letters or digits (search for an order id or an email)`);
  return {
    clauses: [
      'id IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)',
      'EXISTS (SELECT 1 FROM event_bodies b WHERE b.event_id = events.id AND search_confirm(b.body, ?, ?))',
    ],
    values: [match, foldText(trimmed), deadline],
  };
}
