import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A Plug&Paid API on 127.0.0.1: answers `GET /products/list` with the products the test sets, and records the calls. */
export class FakePlatformApi {
  products: Array<{ id: string | number; name?: string; title?: string }> = [];
  status = 200;
  body?: unknown;
  readonly calls: Array<{ url: string; authorization?: string }> = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request: IncomingMessage, response) => {
      this.calls.push({ url: request.url ?? '', authorization: request.headers.authorization });
      const found = request.method === 'GET' && request.url === '/products/list';
      const body = this.body ?? (found ? { status: 0, products: this.products } : { status: -1, error: 'not found' });
      response.writeHead(found ? this.status : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
