import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../../src/runtime/config';
import { createRuntime, Runtime } from '../../src/runtime/server';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time = Date.parse('2026-11-22T10:00:00Z')) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * A runtime on 127.0.0.1 with a temp data directory, and helpers to call it. It allows private destinations
 * (the test receivers listen on 127.0.0.1) unless the options say otherwise.
 */
export class TestRuntime {
  runtime!: Runtime;
  url = '';

  constructor(
    readonly dataDir = mkdtempSync(join(tmpdir(), 'plugnpaid-runtime-')),
    private readonly options: Partial<RuntimeConfig> & { clock?: FakeClock; random?: () => number; lookup?: LookupFunction } = {},
  ) {}

  async start(): Promise<this> {
    // The overload guard is off unless a test sets it: it answers 503 when the test process's event loop lags, which
    // on a loaded machine says more about the machine than about the runtime (edge-limits.test.ts tests it).
    this.runtime = createRuntime({ host: '127.0.0.1', port: 0, dataDir: this.dataDir, logger: false, random: () => 0.5, allowPrivateDestinations: true, maxEventLoopDelayMs: 0, ...this.options });
    this.url = await this.runtime.listen();
    return this;
  }

  /** Calls the admin API with the admin token; returns status and parsed JSON. */
  async api(method: string, path: string, body?: unknown, token = this.runtime.adminToken): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** POSTs a raw body to a webhook URL as Plug&Paid would. */
  async post(hookUrl: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; body: any }> {
    const response = await fetch(hookUrl, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async defaultWebhook(): Promise<{ id: string; url: string }> {
    return (await this.api('GET', '/api/webhooks')).body.items[0];
  }

  async stop(): Promise<void> {
    await this.runtime.close();
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A destination that records what it receives and answers with a status the test sets. */
export class Receiver {
  readonly received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  answer: (request: IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200 });
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const reply = this.answer(request, body);
        if (reply.status >= 200 && reply.status < 300) this.received.push({ headers: request.headers, body });
        response.writeHead(reply.status, reply.headers).end(reply.body ?? 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
