import { isRecord } from '../iml/values';
import type { Problem } from './problems';
import { didYouMean } from './suggest';

/** How often the runtime may call the platform's API with one token: `rateLimit` in connector/base.json. */
export interface ApiRateLimit {
  /** Requests per second per token, a whole number from 1 to MAX_REQUESTS_PER_SECOND. */
  requestsPerSecond: number;
}

const KEY = 'rateLimit';
const FIELDS = ['requestsPerSecond'];
// Far above any checkout platform's published limit: a larger number is a typo, not a rate.
const MAX_REQUESTS_PER_SECOND = 1000;
const EXAMPLE = `"${KEY}": { "requestsPerSecond": 10 }`;

/** connector/base.json read apart: the request every call inherits (Make's base) and the runtime's API rate. */
export interface BaseParts {
  request: unknown;
  rate?: ApiRateLimit;
}

/**
 * Splits base.json into Make's base and `rateLimit`, reporting a missing or malformed rate in `problems`.
 * The rate is a runtime-only setting: Make's base has no such field (its schema lists none), so it is taken
 * out here and the export, which writes the base as loaded, never carries it.
 */
export function splitBase(value: unknown, file: string, problems: Problem[]): BaseParts {
  if (!isRecord(value)) return { request: value };
  const { [KEY]: rate, ...request } = value;
  const problem = (pointer: string, message: string, suggestion?: string) => problems.push({ file, pointer, message, ...(suggestion ? { suggestion } : {}) });
  if (rate === undefined) {
    problem('', `${KEY} is missing: give how many requests per second the platform's API allows one token, e.g. ${EXAMPLE}; the runtime paces its API calls to it`);
    return { request };
  }
  if (!isRecord(rate)) {
    problem(`/${KEY}`, `${KEY} must be an object such as ${EXAMPLE}, not ${JSON.stringify(rate)}`);
    return { request };
  }
  const unknown = Object.keys(rate).filter((name) => !FIELDS.includes(name));
  unknown.forEach((name) => problem(`/${KEY}/${name}`, `unknown property '${name}' in ${KEY} (it takes only ${FIELDS.join(', ')})`, didYouMean(name, FIELDS)));
  const perSecond = rate.requestsPerSecond;
  if (perSecond === undefined) {
    if (unknown.length === 0) problem(`/${KEY}`, `${KEY} needs requestsPerSecond, e.g. ${EXAMPLE}`);
    return { request };
  }
  if (typeof perSecond !== 'number' || !Number.isInteger(perSecond) || perSecond < 1 || perSecond > MAX_REQUESTS_PER_SECOND) {
    problem(`/${KEY}/requestsPerSecond`, `${KEY}.requestsPerSecond must be a whole number of requests per second from 1 to ${MAX_REQUESTS_PER_SECOND}, not ${JSON.stringify(perSecond)}`);
    return { request };
  }
  return unknown.length === 0 ? { request, rate: { requestsPerSecond: perSecond } } : { request };
}
