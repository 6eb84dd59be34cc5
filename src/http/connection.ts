import { connectionCommunication } from '../definition/connection-communication';
import type { AppDefinition } from '../definition/types';
import { platformPace } from './api-pacing';
import { callApi, shapeResponse } from './request';

/** The values of the connection's password fields: what must never be printed. */
export function connectionSecrets(app: AppDefinition, values: Record<string, unknown>): string[] {
  return app.connection.parameters
    .filter((parameter) => parameter.type === 'password')
    .map((parameter) => values[parameter.name])
    .filter((value): value is string => typeof value === 'string');
}

/** Connection values from one API token: it fills the connection's password field (e.g. `apiToken`). */
export function connectionFromToken(app: AppDefinition, token: string): Record<string, unknown> {
  const field = app.connection.parameters.find((parameter) => parameter.type === 'password') ?? app.connection.parameters[0];
  return { [field.name]: token };
}

/** Where API calls go: the app base's host unless `apiBase` replaces it (a local API, a sandbox). */
export interface ApiTarget {
  fetch?: typeof fetch;
  apiBase?: string;
}

function baseFor(app: AppDefinition, access: ApiTarget): AppDefinition['base'] {
  return access.apiBase ? { ...app.base, baseUrl: access.apiBase } : app.base;
}

/** Runs the connection test for real, exactly the request the export gives Make (at `apiBase` when given). */
export async function testConnection(app: AppDefinition, values: Record<string, unknown>, access: ApiTarget = {}): Promise<{ metadata?: string }> {
  const communication = connectionCommunication(app, baseFor(app, access));
  const variables = { parameters: values };
  const secrets = connectionSecrets(app, values);
  const answer = await callApi({ communication, variables, secrets, fetch: access.fetch, pace: platformPace(app, secrets) });
  const metadata = communication.response?.metadata;
  if (!metadata) return {};
  const [value] = shapeResponse({ response: { output: metadata.value } }, answer, variables);
  return { metadata: typeof value === 'string' ? value : undefined };
}

/** Runs an RPC with a connection and returns its options (label/value pairs for a dropdown); `apiBase` replaces the base URL. */
export async function runRpc(app: AppDefinition, name: string, values: Record<string, unknown>, access: ApiTarget = {}): Promise<unknown[]> {
  const rpc = app.rpcs[name];
  if (!rpc) throw new Error(`unknown RPC '${name}' (known: ${Object.keys(app.rpcs).join(', ')})`);
  const variables = { connection: values, parameters: {} };
  const secrets = connectionSecrets(app, values);
  const answer = await callApi({ communication: rpc.communication, base: baseFor(app, access), variables, secrets, fetch: access.fetch, pace: platformPace(app, secrets) });
  return shapeResponse(rpc.communication, answer, variables);
}
