import { connectionCommunication } from '../definition/connection-communication';
import type { AppDefinition } from '../definition/types';
import { connectionFromToken } from '../http/connection';
import { builtinFunctions, compileDirective, evaluateDirective } from '../iml';
import { isRecord, toText } from '../iml/values';

/** Where the app's connection sends its token: the header, and the text before the token (e.g. `Bearer `). */
export interface TokenHeader {
  /** Lower-cased, as Node gives request headers. */
  name: string;
  /** As the connection writes it, for messages. */
  label: string;
  prefix: string;
}

const MARKER = 'sandbox-token-marker';

/** The header the connection test puts the token in, found by resolving its headers with a marker token. */
export function tokenHeader(app: AppDefinition): TokenHeader | undefined {
  const request = connectionCommunication(app);
  const variables = { parameters: connectionFromToken(app, MARKER) };
  const headers = evaluateDirective(compileDirective(request.headers ?? {}), { variables, functions: builtinFunctions, timezone: 'UTC' });
  if (!isRecord(headers)) return undefined;
  for (const [label, value] of Object.entries(headers)) {
    const text = toText(value);
    const at = text.indexOf(MARKER);
    if (at >= 0) return { name: label.toLowerCase(), label, prefix: text.slice(0, at) };
  }
  return undefined;
}

/** Whether a request's header carries a non-empty token the way the connection sends it. */
export function carriesToken(header: TokenHeader, value: string | string[] | undefined): boolean {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && text.startsWith(header.prefix) && text.slice(header.prefix.length).trim() !== '';
}
