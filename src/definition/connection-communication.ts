import { effectiveCommunication } from '../http/request';
import type { AppDefinition, Communication } from './types';

/**
 * The connection's test request as Make must run it. Make's connection does not inherit the base, so ours is
 * written out whole from it: a relative URL gets the base's host and headers (the connection's own, such as its
 * Authorization from `parameters`, win), and the base's `response.valid` and `response.error` apply when it sets
 * none. The API host, its required headers and the error messages are written once, in the base; both the
 * engine's connection test and the export use this one request. A request has no `timeout` in Make's schema
 * (only the base has), so none is carried over.
 */
export function connectionCommunication(app: AppDefinition, base: Communication = app.base): Communication {
  const request = effectiveCommunication({ communication: app.connection.communication, base });
  delete request.timeout;
  return request;
}
