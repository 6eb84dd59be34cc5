import Fastify, { FastifyInstance } from 'fastify';
import { recordedAnswers } from '../definition/api-requests';
import type { AppDefinition } from '../definition/types';
import { carriesToken, TokenHeader, tokenHeader } from './token-header';

/** One request the sandbox answers: the full path (with the base URL's own path, e.g. /v2) and what it comes from. */
export interface SandboxRoute {
  method: string;
  path: string;
  maker: string;
  answer: unknown;
}

/** A listening sandbox: its base URL (what `--api-base` takes), the requests it answers, and how to stop it. */
export interface Sandbox {
  baseUrl: string;
  routes: SandboxRoute[];
  tokenHeader?: TokenHeader;
  close(): Promise<void>;
}

/** The path of the app's base URL (`/v2` of https://api.plugandpay.nl/v2), so recorded paths look as the real API's. */
export function basePath(app: AppDefinition): string {
  return app.base.baseUrl ? new URL(app.base.baseUrl).pathname.replace(/\/$/, '') : '';
}

/** The requests the sandbox answers, from the app's recorded answers and its samples. */
export function sandboxRoutes(app: AppDefinition): SandboxRoute[] {
  const prefix = basePath(app);
  return recordedAnswers(app).map(({ key, maker, answer }) => {
    const [method, path] = key.split(' ');
    return { method, path: prefix + path, maker, answer };
  });
}

// Both names: Plug&Paid's base reads an error's text from `error`, Plug&Pay's from `message`.
const failure = (text: string, extra: Record<string, unknown> = {}) => ({ error: text, message: text, ...extra });

function build(app: AppDefinition, routes: SandboxRoute[], header: TokenHeader | undefined): FastifyInstance {
  const server = Fastify({ logger: false });
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const listed = routes.map((route) => `${route.method} ${route.path}`);
  server.all('/*', async (request, reply) => {
    if (header && !carriesToken(header, request.headers[header.name])) {
      const expected = `${header.label}: ${header.prefix}<any token>`;
      return reply.code(401).send(failure(`the ${app.manifest.label} sandbox needs the token as the connection sends it (${expected}); any non-empty token is accepted`));
    }
    const path = request.url.split('?')[0];
    const route = byKey.get(`${request.method} ${path}`);
    if (!route) {
      const text = `the ${app.manifest.label} sandbox has no recorded answer for ${request.method} ${path}; it answers ${listed.join(', ')}`;
      return reply.code(404).send(failure(text, { recorded: listed }));
    }
    return reply.code(200).send(route.answer);
  });
  return server;
}

/** Starts the sandbox of an app's platform API on `host:port` (port 0: any free one). */
export async function startSandbox(app: AppDefinition, options: { host?: string; port?: number } = {}): Promise<Sandbox> {
  const routes = sandboxRoutes(app);
  const header = tokenHeader(app);
  const server = build(app, routes, header);
  const host = options.host ?? '127.0.0.1';
  await server.listen({ host, port: options.port ?? 0 });
  const { port } = server.server.address() as { port: number };
  return { baseUrl: `http://${host}:${port}${basePath(app)}`, routes, tokenHeader: header, close: () => server.close() };
}
