import { RequestError } from '../resources';
import { matchQuery } from './search-terms';

const MAX_QUERY_LENGTH = 200;

/**
 * The SQL conditions (over `events`) for "the payload contains this text": the FTS5 index narrows the events
 * to those with every word of the text, and the stored body confirms the text itself (case-insensitive).
 */
export function searchClauses(text: string): { clauses: string[]; values: unknown[] } {
  const trimmed = text.trim();
  if (trimmed.length > MAX_QUERY_LENGTH) throw new RequestError(400, `q is ${trimmed.length} characters long; search for at most ${MAX_QUERY_LENGTH} (an order id, an email)`);
  const match = matchQuery(trimmed);
  if (!match) throw new RequestError(400, 'q needs at least one letter or digit (search for an order id or an email)');
  return {
    clauses: [
      'id IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)',
      'EXISTS (SELECT 1 FROM event_bodies b WHERE b.event_id = events.id AND instr(lower(CAST(b.body AS TEXT)), ?) > 0)',
    ],
    values: [match, trimmed.toLowerCase()],
  };
}
