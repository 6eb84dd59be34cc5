import { expect } from 'chai';
import { lookup as dnsLookup } from 'node:dns';
import { createServer } from 'node:net';
import type { LookupFunction } from 'node:net';
import { nonPublicRange } from '../../src/runtime/delivery/destination-policy';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

/** Resolves `*.internal.test` to 127.0.0.1 (as a hostile or rebinding DNS would) and anything else normally. */
const internalLookup: LookupFunction = (hostname, options, callback) => {
  if (!hostname.endsWith('.internal.test')) return dnsLookup(hostname, options, callback);
  if (options.all) return (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  callback(null, '127.0.0.1', 4);
};

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Destination policy', () => {
  describe('address ranges', () => {
    it('finds loopback, private, link-local, CGNAT, unique-local, unspecified, multicast and broadcast addresses, also IPv4-mapped', () => {
      const ranges = Object.fromEntries(
        ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', 'fe80::1', 'fc00::1', '::', 'ff02::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe'].map(
          (address) => [address, nonPublicRange(address)],
        ),
      );
      expect(ranges).to.deep.equal({
        '127.0.0.1': 'loopback',
        '10.1.2.3': 'private',
        '172.16.0.1': 'private',
        '192.168.1.1': 'private',
        '169.254.169.254': 'linkLocal',
        '100.64.0.1': 'carrierGradeNat',
        '0.0.0.0': 'unspecified',
        '224.0.0.1': 'multicast',
        '255.255.255.255': 'broadcast',
        '::1': 'loopback',
        'fe80::1': 'linkLocal',
        'fc00::1': 'uniqueLocal',
        '::': 'unspecified',
        'ff02::1': 'multicast',
        '::ffff:127.0.0.1': 'loopback',
        '::ffff:a9fe:a9fe': 'linkLocal',
      });
    });

    it('lets public addresses through', () => {
      for (const address of ['8.8.8.8', '52.28.1.1', '2606:4700::1111']) expect(nonPublicRange(address), address).to.equal(undefined);
    });
  });

  describe('when a trigger is created', () => {
    let runtime: TestRuntime;
    let hook: { id: string };
    const create = (url: string) => runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url } });

    beforeEach(async () => {
      runtime = await new TestRuntime(undefined, { allowPrivateDestinations: false }).start();
      hook = (await runtime.api('POST', '/api/webhooks', { name: 'policy' })).body;
    });
    afterEach(() => runtime.destroy());

    const refused = [
      'http://127.0.0.1:8787/api/webhooks',
      'http://localhost:8787/',
      'http://api.localhost/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/hook',
      'http://192.168.1.10/hook',
      'http://172.31.255.1/hook',
      'http://100.64.0.1/hook',
      'http://0.0.0.0:8787/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://[::1]:8787/',
      'http://[fe80::1]/',
      'http://[fd12:3456::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://0xa9fea9fe/latest/meta-data/',
      'http://127.0.0.1.:8787/',
      'http://[::7f00:1]/',
      'http://[::a9fe:a9fe]/latest/meta-data/',
      'http://[::808:808]/',
    ];
    for (const url of refused) {
      it(`refuses ${url} with 400 and says how to allow it`, async () => {
        const answer = await create(url);
        expect(answer.status).to.equal(400);
        expect(answer.body.error).to.contain('destination refused');
        expect(answer.body.error).to.contain('PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1');
        expect(answer.body.error).to.contain('--allow-private-destinations');
      });
    }

    it('refuses schemes other than http(s)', async () => {
      for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)']) {
        const answer = await create(url);
        expect(answer.status, url).to.equal(400);
        expect(answer.body.error, url).to.match(/must be an http\(s\) URL/);
      }
    });

    it('refuses a URL with a user name or password, which no delivery could send, also when private destinations are allowed', async () => {
      for (const allowPrivateDestinations of [false, true]) {
        await runtime.destroy();
        runtime = await new TestRuntime(undefined, { allowPrivateDestinations }).start();
        hook = (await runtime.api('POST', '/api/webhooks', { name: 'credentials' })).body;
        for (const url of ['http://user:pw@hook.example.com/', 'https://user@hook.example.com/x', 'https://:secret@93.184.215.14/']) {
          const answer = await create(url);
          expect(answer.status, url).to.equal(400);
          expect(answer.body.error, url).to.equal(
            'destination.url must not carry a user name or password (user:pw@host): deliveries cannot send them, so every attempt would fail; the destination can verify the webhook-signature header instead',
          );
        }
      }
    });

    it('accepts a public destination', async () => {
      expect((await create('https://hook.eu1.make.com/abc123')).status).to.equal(201);
      expect((await create('http://93.184.215.14/hook')).status).to.equal(201);
    });

    it('accepts private destinations when they are allowed', async () => {
      await runtime.destroy();
      runtime = await new TestRuntime(undefined, { allowPrivateDestinations: true }).start();
      hook = (await runtime.api('POST', '/api/webhooks', { name: 'allowed' })).body;
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/', 'http://10.0.0.5/hook']) expect((await create(url)).status, url).to.equal(201);
    });
  });

  describe('when a delivery connects', () => {
    let clock: FakeClock;
    let receiver: Receiver;
    let runtime: TestRuntime | undefined;

    beforeEach(async () => {
      clock = new FakeClock();
      receiver = await new Receiver().start();
    });
    afterEach(async () => {
      await runtime?.destroy();
      runtime = undefined;
      await receiver.stop();
    });

    async function deliver(destination: string, options: { allowPrivateDestinations: boolean; createAllowed?: boolean }) {
      runtime = await new TestRuntime(undefined, { clock, lookup: internalLookup, allowPrivateDestinations: options.createAllowed ?? options.allowPrivateDestinations }).start();
      const hook = (await runtime.api('POST', '/api/webhooks', { name: 'connect' })).body;
      expect((await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: destination } })).status).to.equal(201);
      if (options.createAllowed !== undefined) {
        // Restart with the setting changed: the trigger was made when private destinations were allowed.
        await runtime.stop();
        runtime = await new TestRuntime(runtime.dataDir, { clock, lookup: internalLookup, allowPrivateDestinations: options.allowPrivateDestinations }).start();
      }
      const answer = await runtime.post(`${runtime.url}${new URL(hook.url).pathname}`, JSON.stringify(examplePayload('refund')));
      await runtime.runtime.engine.drain();
      return (await runtime.api('GET', `/api/events/${answer.body.event}`)).body.deliveries[0];
    }

    it('refuses a name that resolves to a loopback address, before connecting', async () => {
      const delivery = await deliver(receiver.url.replace('127.0.0.1', 'receiver.internal.test'), { allowPrivateDestinations: false });
      expect(delivery).to.include({ status: 'dead', lastStatus: null });
      expect(delivery.lastError).to.contain('receiver.internal.test resolves to 127.0.0.1, a loopback address');
      expect(delivery.lastError).to.contain('PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1');
      expect(receiver.received).to.have.length(0);
    });

    it('says the same whether or not an internal port answers', async () => {
      const open = await deliver(receiver.url.replace('127.0.0.1', 'open.internal.test'), { allowPrivateDestinations: false });
      await runtime!.destroy();
      const port = await closedPort();
      const closed = await deliver(`http://open.internal.test:${port}/hook`, { allowPrivateDestinations: false });
      expect({ status: closed.status, lastStatus: closed.lastStatus, lastError: closed.lastError }).to.deep.equal({ status: open.status, lastStatus: open.lastStatus, lastError: open.lastError });
      expect(receiver.received).to.have.length(0);
    });

    it('refuses an IP destination made while allowed, once the setting is off', async () => {
      const delivery = await deliver(receiver.url, { createAllowed: true, allowPrivateDestinations: false });
      expect(delivery).to.include({ status: 'dead', lastStatus: null });
      expect(delivery.lastError).to.contain('127.0.0.1 is a loopback address');
      expect(receiver.received).to.have.length(0);
    });

    it('delivers to such names and addresses when private destinations are allowed', async () => {
      const delivery = await deliver(receiver.url.replace('127.0.0.1', 'receiver.internal.test'), { allowPrivateDestinations: true });
      expect(delivery).to.include({ status: 'delivered', lastStatus: 200 });
      expect(receiver.received).to.have.length(1);
    });

    it('does not follow a redirect: the delivery is dead at once, with the reason', async () => {
      const target = await new Receiver().start();
      try {
        receiver.answer = () => ({ status: 302, headers: { location: target.url } });
        const delivery = await deliver(receiver.url, { allowPrivateDestinations: true });
        expect(delivery).to.include({ status: 'dead', lastStatus: 302 });
        expect(delivery.lastError).to.contain('redirects are not followed');
        expect(target.received).to.have.length(0);
      } finally {
        await target.stop();
      }
    });
  });
});
