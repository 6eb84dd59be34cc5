import { builtinFunctions, compileDirective, evaluateDirective } from '../iml';
import { toText } from '../iml/values';
import { parameterValues } from '../mapping/map-event';
import { webhookItem } from '../mapping/route';
import type { AppDefinition, Communication } from './types';

/** One request the app makes to its platform's API, keyed `METHOD /path` (the path after the base URL, no query). */
export interface ApiRequest {
  key: string;
  /** What makes it, in words: "the connection test", "RPC listProducts", "watch-order-paid sample 1". */
  maker: string;
  /** Where it is defined or recorded, for problems. */
  file: string;
  pointer: string;
  module?: string;
}

/** A request with the answer the app definition records for it. */
export interface RecordedAnswer extends ApiRequest {
  answer: unknown;
}

/** `GET /orders/52841`: a request's method and path, its URL template resolved; undefined for another host or a broken template. */
export function requestKey(communication: Communication, variables: Record<string, unknown>): string | undefined {
  let url: string;
  try {
    url = toText(evaluateDirective(compileDirective(communication.url ?? ''), { variables, functions: builtinFunctions, timezone: 'UTC' }));
  } catch {
    // A broken template is reported by the template checks; it makes no request to record.
    return undefined;
  }
  if (!url.startsWith('/')) return undefined;
  return `${(communication.method ?? 'GET').toUpperCase()} ${url.split(/[?#]/)[0]}`;
}

/** The requests the connection test and the RPCs make (their URLs resolved without connection values). */
export function definedRequests(app: AppDefinition): ApiRequest[] {
  const connection = requestKey(app.connection.communication, { parameters: {} });
  const rpcs = Object.values(app.rpcs).map((rpc) => ({ rpc, key: requestKey(rpc.communication, { connection: {}, parameters: {} }) }));
  return [
    ...(connection ? [{ key: connection, maker: 'the connection test', file: app.connection.file, pointer: '/communication/url' }] : []),
    ...rpcs.flatMap(({ rpc, key }) => (key ? [{ key, maker: `RPC ${rpc.id}`, file: rpc.file, pointer: '/communication/url' }] : [])),
  ];
}

/** Each sample's `response`, keyed by the request its module makes for that sample's payload. */
export function sampleAnswers(app: AppDefinition): RecordedAnswer[] {
  return app.modules.flatMap((module) => {
    const communication = module.communication;
    if (!communication) return [];
    return module.samples.flatMap((sample, index) => {
      if (sample.response === undefined) return [];
      const variables = { payload: webhookItem(app, module, sample.payload), parameters: parameterValues(module, sample.parameters), connection: {} };
      const key = requestKey(communication, variables);
      return key ? [{ key, maker: `${module.name} sample ${index + 1}`, file: module.files.samples, pointer: `/${index}/response`, module: module.name, answer: sample.response }] : [];
    });
  });
}

/**
 * Every recorded answer, one per request (what the sandbox serves): the connection's and RPCs' from the app's
 * api-samples file, the modules' from their samples (the first sample of a request; validate refuses two that differ).
 */
export function recordedAnswers(app: AppDefinition): RecordedAnswer[] {
  const defined = definedRequests(app);
  const recorded: RecordedAnswer[] = Object.entries(app.apiSamples?.answers ?? {}).map(([key, answer]) => ({
    key,
    maker: defined.filter((request) => request.key === key).map((request) => request.maker).join(', ') || 'no request of the app',
    file: app.apiSamples!.file,
    pointer: jsonPointerKey(key),
    answer,
  }));
  const seen = new Set(recorded.map((entry) => entry.key));
  for (const entry of sampleAnswers(app)) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    recorded.push(entry);
  }
  return recorded;
}

/** The JSON pointer of a top-level key (`/` and `~` escaped). */
export function jsonPointerKey(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
