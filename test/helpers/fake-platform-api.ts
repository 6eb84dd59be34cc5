import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request the fake API received: its path and query, its Authorization header, when it arrived and what it answered. */
export interface FakeApiCall {
  url: string;
  authorization?: string;
  /** performance.now() when the request arrived. */
  at: number;
  status: number;
}

/**
 * A Plug&Paid API on 127.0.0.1: answers `GET /products/list` with the products the test sets, other paths from
 * `pages` (e.g. Plug&Pay's `/orders/52841`), and records the calls. With `rateLimit` set it answers 429 to a
 * request past that many in the last second, as a rate-limited API does.
 */
export class FakePlatformApi {
  products: Array<{ id: string | number; name?: string; title?: string }> = [];
  status = 200;
  body?: unknown;
  /** Bodies answered with 200 for other GET paths (the path without its query). */
  pages: Record<string, unknown> = {};
  /** Requests allowed in any second; past it the answer is 429 with `Retry-After: 1`. */
  rateLimit?: number;
  /** Answers the next requests with 429 and this Retry-After (seconds), one entry per request. */
  refusals: string[] = [];
  readonly calls: FakeApiCall[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request: IncomingMessage, response) => {
      const at = performance.now();
      const url = request.url ?? '';
      const record = (status: number) => this.calls.push({ url, authorization: request.headers.authorization, at, status });
      const recent = this.calls.filter((call) => call.at > at - 1000).length;
      const refusal = this.refusals.shift();
      if (refusal !== undefined || (this.rateLimit !== undefined && recent >= this.rateLimit)) {
        record(429);
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': refusal ?? '1' }).end(JSON.stringify({ status: -1, error: 'too many requests' }));
        return;
      }
      const path = url.split('?')[0];
      const page = request.method === 'GET' ? this.pages[path] : undefined;
      const found = request.method === 'GET' && (path === '/products/list' || page !== undefined);
      const body = this.body ?? page ?? (found ? { status: 0, products: this.products } : { status: -1, error: 'not found' });
      const status = found ? this.status : 404;
      record(status);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  /** The most requests that arrived within any one second. */
  busiestSecond(): number {
    const times = this.calls.map((call) => call.at).sort((a, b) => a - b);
    let most = 0;
    for (let first = 0, last = 0; last < times.length; last += 1) {
      while (times[last] - times[first] >= 1000) first += 1;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
