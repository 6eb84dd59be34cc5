import { expect } from 'chai';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { NetworkError, reach } from '../../src/http/network';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { closedPort } from '../helpers/network';

/** A loopback TCP server that accepts connections and never answers (or answers `reply` and hangs up). */
async function silentServer(reply?: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (reply) socket.end(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function failure(url: string, init: RequestInit = {}): Promise<NetworkError> {
  try {
    await reach(url, init);
  } catch (error) {
    expect(error).to.be.instanceOf(NetworkError);
    return error as NetworkError;
  }
  throw new Error(`${url} answered`);
}

describe('Network failures name the host and the cause', () => {
  it('says a name that does not resolve is ENOTFOUND, naming the host', async () => {
    const error = await failure('https://api.plugnpaid.invalid/v1/products');
    expect(error.message).to.match(/^cannot reach api\.plugnpaid\.invalid: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\): check the spelling of api\.plugnpaid\.invalid/);
  });

  it('says a closed port is ECONNREFUSED, naming host and port', async () => {
    const port = await closedPort();
    const error = await failure(`http://127.0.0.1:${port}/api`);
    expect(error.message).to.equal(`cannot reach 127.0.0.1:${port}: nothing accepts connections on port ${port} (ECONNREFUSED): is the server running, and are the host and port right?`);
    expect(error.reason).to.equal('ECONNREFUSED');
  });

  it('says HTTPS to a server that does not speak TLS is a TLS failure', async () => {
    const plain = await silentServer('HTTP/1.1 400 Bad Request\r\n\r\n');
    try {
      const error = await failure(`https://127.0.0.1:${plain.port}/`);
      expect(error.reason).to.equal('TLS');
      expect(error.message).to.match(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${plain.port}: the TLS handshake failed \\([A-Z_]+\\): .*http vs https`));
    } finally {
      await plain.close();
    }
  });

  it('says a server that never answers timed out', async () => {
    const silent = await silentServer();
    try {
      const error = await failure(`http://127.0.0.1:${silent.port}/`, { signal: AbortSignal.timeout(300) });
      expect(error.reason).to.equal('timeout');
      expect(error.message).to.equal(`cannot reach 127.0.0.1:${silent.port}: no answer before the timeout (timeout): the server is slow or a firewall drops the traffic`);
    } finally {
      await silent.close();
    }
  });

  describe('in every command that calls out', () => {
    const TOKEN = 'tok_secret_123456';
    let copy: AppCopy;
    let port: number;
    beforeEach(async () => {
      copy = new AppCopy();
      port = await closedPort();
    });
    afterEach(() => copy.remove());

    it('connection test: host and cause, never the token', async () => {
      copy.edit('connector/connection.json', (connection) => (connection.communication.url = 'https://api.plugnpaid.invalid/v1/products/list'));
      const run = await cli(['connection', 'test', '--app', copy.dir], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^ConnectionError: cannot reach api\.plugnpaid\.invalid: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
      expect(run.stderr).to.contain('(GET https://api.plugnpaid.invalid/v1/products/list)');
      expect(run.stderr).not.to.contain(TOKEN);
    });

    it('rpc: a closed port is ECONNREFUSED', async () => {
      copy.edit('connector/base.json', (base) => (base.baseUrl = `https://127.0.0.1:${port}/v1`));
      const run = await cli(['rpc', 'listProducts', '--app', copy.dir], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(`ConnectionError: cannot reach 127.0.0.1:${port}: nothing accepts connections on port ${port} (ECONNREFUSED)`);
    });

    it('map with enrichment (Plug&Pay --api-base): a closed port is ECONNREFUSED', async () => {
      const app = join(__dirname, '..', '..', 'apps', 'plug-and-pay');
      const run = await cli(['map', join(app, 'examples', 'payloads', 'order_paid.json'), '--app', app, '--api-base', `http://127.0.0.1:${port}/v2`], { env: { PLUGNPAID_API_TOKEN: TOKEN } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(`could not map the payload: ConnectionError: cannot reach 127.0.0.1:${port}: nothing accepts connections on port ${port} (ECONNREFUSED)`);
    });

    it('deploy: an unresolvable zone names the zone and ENOTFOUND, not "fetch failed", and never the key', async () => {
      const dir = join(copy.dir, 'make-app');
      const key = '8a3c8a5e-1b2c-4d5e-8f90-123456789abc';
      const run = await cli(['deploy', '--zone-url', 'https://eu1.make.invalid/api', '--app-id', 'plug-and-paid-x1y2z3', '--dir', dir], { env: { MAKE_API_KEY: key } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^deploy stopped: (PUT|GET|POST|PATCH) \/sdk\/apps\/\S+: cannot reach eu1\.make\.invalid: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
      expect(run.stderr).not.to.contain('fetch failed');
      expect(run.stderr).not.to.contain(key);
    });

    it('send: a closed webhook port is ECONNREFUSED', async () => {
      const run = await cli(['send', 'watch-one-time-sale', '--to', `http://127.0.0.1:${port}/hooks/x`]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.equal(`cannot reach 127.0.0.1:${port}: nothing accepts connections on port ${port} (ECONNREFUSED): is the server running, and are the host and port right?\n`);
    });
  });
});
