import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { RuntimeConfig } from './config';

// Seconds a sender is asked to wait when the runtime is overloaded; Plug&Paid retries on 503.
const OVERLOAD_RETRY_AFTER_S = 10;

/**
 * Time limits on every connection: headers within `headersTimeoutMs`, the whole request within
 * `requestTimeoutMs`, a silent or idle socket closed after `headersTimeoutMs` too. Node checks them on an
 * interval (30 s by default), so it is set to a fraction of the shortest limit.
 */
export function connectionTimeouts(config: RuntimeConfig): { connectionTimeout: number; requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  return {
    connectionTimeout: Math.max(config.headersTimeoutMs, 10_000),
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    http: { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs) },
  };
}

/** Answered (503, with Retry-After) while the event loop lags; nothing was read or stored. */
export class OverloadedError extends Error {
  readonly statusCode = 503;
  constructor() {
    super(`the runtime is overloaded (its event loop lags); nothing was stored, retry in ${OVERLOAD_RETRY_AFTER_S} s`);
  }
}

/**
 * At most `max` open connections per remote address: one client trickling headers and reconnecting as slots
 * free cannot hold every slot, so other senders (Plug&Paid, /health) keep getting in. Runs before the HTTP
 * server sees the connection; the ones over the cap are closed unanswered.
 */
function capConnectionsPerAddress(server: NetServer, max: number): void {
  const open = new Map<string, number>();
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * Bounds what a flood of connections or requests can take: at most `maxConnections` open sockets (the ones
 * over it are closed as they arrive, so the file-descriptor limit is never reached), at most
 * `maxConnectionsPerAddress` of them from one address, and 503 with Retry-After
 * while the event loop lags past `maxEventLoopDelayMs` (`@fastify/under-pressure`), before any work is done.
 */
export function registerEdgeLimits(server: FastifyInstance, config: RuntimeConfig): void {
  server.server.maxConnections = config.maxConnections;
  capConnectionsPerAddress(server.server, config.maxConnectionsPerAddress);
  server.server.headersTimeout = config.headersTimeoutMs;
  if (config.maxEventLoopDelayMs === 0) return;
  // Registered on the root instance itself: its hook then guards every route, webhooks included.
  server.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    retryAfter: OVERLOAD_RETRY_AFTER_S,
    customError: OverloadedError,
  });
}
