import { expect } from 'chai';
import { bundlePageBytes } from '../../src/runtime/api/bundle-page';
import { bundleView } from '../../src/runtime/api/views';
import type { BundlePage, DerivedBundle } from '../../src/runtime/processing/bundle-reader';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const bundle = (eventId: number, data: unknown, errors: unknown[]): DerivedBundle => ({
  eventId,
  place: eventId,
  receivedAt: Date.UTC(2026, 10, 20, 13, 3, 11, 250),
  triggerId: 'trg_sale',
  seq: 0,
  data: JSON.stringify(data),
  errors: JSON.stringify(errors),
});

// What the page must be, byte for byte: the JSON of its items' views, as the API wrote it before it wrote bytes.
const viewJson = (page: BundlePage) => JSON.stringify({ items: page.bundles.map(bundleView), next: page.next, hasMore: page.hasMore });

describe('A page of the pull API, written as bytes', () => {
  it('is byte for byte the JSON of its bundles’ views, with text beyond ASCII and an invalid bundle', () => {
    const page: BundlePage = {
      bundles: [
        bundle(7, { customer: { name: 'Zoë Ørsted 🚀', note: 'line\nbreak "quoted" \u2028' }, products: [{ price: 19.9 }] }, []),
        bundle(9, { order: { id: 'ord_9' } }, [{ pointer: '/customer/email', message: 'must be text, not “null”' }]),
      ],
      next: '9:0',
      hasMore: true,
    };
    const bytes = bundlePageBytes(page);
    expect(bytes.toString('utf8')).to.equal(viewJson(page));
    expect(bytes.length).to.equal(Buffer.byteLength(viewJson(page)));
  });

  it('writes an empty page with the cursor it was given', () => {
    const page: BundlePage = { bundles: [], next: '412', hasMore: false };
    expect(bundlePageBytes(page).toString('utf8')).to.equal('{"items":[],"next":"412","hasMore":false}');
  });

  it('is sent as JSON whose length header counts bytes, not characters', async () => {
    const runtime = await new TestRuntime().start();
    try {
      const hook = await runtime.defaultWebhook();
      const payload = examplePayload('new_simple_sale');
      payload.data.order.customer.name = 'Zoë Ørsted 🚀';
      expect((await runtime.post(hook.url, JSON.stringify(payload))).status).to.equal(200);
      const triggers = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items;
      const sale = triggers.find((trigger: { module: string }) => trigger.module === 'watch-one-time-sale').id;
      const response = await fetch(`${runtime.url}/api/triggers/${sale}/bundles`, { headers: { authorization: `Bearer ${runtime.runtime.adminToken}` } });
      const text = await response.text();
      expect(response.headers.get('content-type')).to.equal('application/json; charset=utf-8');
      expect(Number(response.headers.get('content-length'))).to.equal(Buffer.byteLength(text));
      expect(JSON.parse(text).items[0].data.customer.name).to.equal('Zoë Ørsted 🚀');
    } finally {
      await runtime.destroy();
    }
  });
});
