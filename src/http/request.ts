import { builtinFunctions, compileDirective, evaluateDirective, ImlContext } from '../iml';
import { isRecord, isTruthy, toText } from '../iml/values';
import type { Communication } from '../definition/types';
import { ApiError } from './api-error';
import type { Pace } from './api-pacing';
import { NetworkError, reach } from './network';
import { redact } from './redact';

/** One API call to make: the directive, what it inherits, the IML variables and the secrets to hide. */
export interface ApiCall {
  communication: Communication;
  /** The app base: its baseUrl and headers apply to relative URLs (modules, RPCs), as in Make. */
  base?: Communication;
  variables: Record<string, unknown>;
  /** Values that must never appear in an error (tokens, passwords). */
  secrets: string[];
  fetch?: typeof fetch;
  /** Sends the request at its API's pace (and retries a 429); without it the request is sent at once. */
  pace?: Pace;
}

/** What the API answered, once the response passed the error and validity checks. */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function evaluate(value: unknown, context: ImlContext): unknown {
  return evaluateDirective(compileDirective(value), context);
}

/** The request after inheritance: the base's URL and headers for relative URLs, its response handling when unset. */
export function effectiveCommunication(call: Pick<ApiCall, 'communication' | 'base'>): Communication {
  const { communication, base } = call;
  if (!base) return communication;
  const relative = (communication.url ?? '').startsWith('/');
  return {
    ...communication,
    url: relative && base.baseUrl ? base.baseUrl.replace(/\/$/, '') + communication.url : communication.url,
    headers: relative ? { ...base.headers, ...communication.headers } : communication.headers,
    timeout: communication.timeout ?? base.timeout,
    response: {
      ...communication.response,
      valid: communication.response?.valid ?? base.response?.valid,
      error: communication.response?.error ?? base.response?.error,
    },
    log: communication.log ?? base.log,
  };
}

/** Executes one Make-style request with fetch and applies `response.error` and `response.valid`. */
export async function callApi(call: ApiCall): Promise<ApiResponse> {
  const spec = effectiveCommunication(call);
  const context: ImlContext = { variables: call.variables, functions: builtinFunctions, timezone: 'UTC' };
  const url = new URL(toText(evaluate(spec.url ?? '', context)));
  const qs = isRecord(spec.qs) ? (evaluate(spec.qs, context) as Record<string, unknown>) : {};
  Object.entries(qs).forEach(([key, value]) => value !== undefined && url.searchParams.set(key, toText(value)));
  const headers = Object.fromEntries(Object.entries((evaluate(spec.headers ?? {}, context) as Record<string, unknown>) ?? {}).map(([k, v]) => [k, toText(v)]));
  const method = spec.method ?? 'GET';
  const body = spec.body === undefined ? undefined : JSON.stringify(evaluate(spec.body, context));
  if (body !== undefined) headers['content-type'] ??= 'application/json';

  // Each attempt gets the whole timeout: waiting for its turn is not the API being slow.
  const send = () => reach(url, { method, headers, body, signal: AbortSignal.timeout(spec.timeout ?? DEFAULT_TIMEOUT_MS) }, call.fetch);
  let response: Response;
  try {
    response = await (call.pace ? call.pace(send) : send());
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    throw new ApiError(redact(`${error.message} (${method} ${url.origin}${url.pathname})`, call.secrets), 'ConnectionError');
  }
  const text = await response.text();
  const answer: ApiResponse = { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: parseBody(text) };
  const responseContext: ImlContext = { ...context, variables: { ...call.variables, body: answer.body, headers: answer.headers, statusCode: answer.statusCode } };

  if (answer.statusCode >= 400) {
    const rule = spec.response?.error;
    const specific = rule && isRecord(rule[String(answer.statusCode)]) ? (rule[String(answer.statusCode)] as { message: string; type?: string }) : undefined;
    const chosen = specific ?? rule;
    const message = chosen ? toText(evaluate(chosen.message, responseContext)) : `HTTP ${answer.statusCode}`;
    throw new ApiError(redact(message, call.secrets), chosen?.type ?? 'RuntimeError', answer.statusCode);
  }
  const valid = spec.response?.valid;
  if (valid !== undefined) {
    const rule = isRecord(valid) ? valid : { condition: valid };
    if (!isTruthy(evaluate(rule.condition, responseContext))) {
      const message = rule.message ? toText(evaluate(rule.message, responseContext)) : 'The API answered with an invalid response.';
      throw new ApiError(redact(message, call.secrets), rule.type ?? 'DataError', answer.statusCode);
    }
  }
  return answer;
}

/** Evaluates `response.iterate` (at most `response.limit` items) and `response.output` over an answer (RPCs, module calls). */
export function shapeResponse(communication: Communication, answer: ApiResponse, variables: Record<string, unknown>): unknown[] {
  const context: ImlContext = { variables: { ...variables, body: answer.body, headers: answer.headers, statusCode: answer.statusCode }, functions: builtinFunctions, timezone: 'UTC' };
  const response = communication.response ?? {};
  const items = response.iterate ? evaluate(response.iterate, context) : [answer.body];
  const list = (Array.isArray(items) ? items : []).slice(0, response.limit ?? Infinity);
  if (response.output === undefined) return list;
  return list.map((item) => evaluate(response.output, { ...context, variables: { ...context.variables, item } }));
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
