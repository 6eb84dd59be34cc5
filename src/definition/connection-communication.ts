import type { AppDefinition, Communication } from './types';

/**
 * The connection's test request as Make must run it. Make's connection does not inherit the base, so ours
 * takes the base's `response.valid` and `response.error` when it sets none: error messages are written once,
 * and both the engine's connection test and the export use this one request.
 */
export function connectionCommunication(app: AppDefinition): Communication {
  const { communication } = app.connection;
  return {
    ...communication,
    response: {
      ...communication.response,
      valid: communication.response?.valid ?? app.base.response?.valid,
      error: communication.response?.error ?? app.base.response?.error,
    },
  };
}
