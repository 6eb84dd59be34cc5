import { distance } from 'fastest-levenshtein';

/**
 * "did you mean 'label'?" for a misspelt name: the known names nearest by edit distance, when they are near
 * enough to be a typo (a third of the name's length, at least 2 for names of four letters or more, since a
 * swap of two letters costs 2).
 */
export function didYouMean(name: string, known: Iterable<string>, limit = 3): string | undefined {
  const nearest = nearestNames(name, known, limit);
  return nearest.length === 0 ? undefined : `did you mean ${nearest.map((candidate) => `'${candidate}'`).join(' or ')}?`;
}

/** The known names within typo distance of `name` and nearest to it (ties kept, up to `limit`). */
export function nearestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const tolerance = Math.max(name.length >= 4 ? 2 : 1, Math.floor(name.length / 3));
  const near = [...new Set(known)]
    .filter((candidate) => candidate !== name)
    .map((candidate) => ({ candidate, cost: distance(lower, candidate.toLowerCase()) }))
    .filter(({ cost }) => cost <= tolerance);
  const best = Math.min(...near.map(({ cost }) => cost));
  return near
    .filter(({ cost }) => cost === best)
    .map(({ candidate }) => candidate)
    .sort()
    .slice(0, limit);
}
