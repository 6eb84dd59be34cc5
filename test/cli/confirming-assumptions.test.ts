import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { validateApp } from '../../src/definition/validate';
import { mapWithModule } from '../../src/mapping/map-event';
import { modulesMarkdown } from '../../src/docs/module-docs';
import { captureSample } from '../../src/samples/capture';
import { scrubVocabulary } from '../../src/samples/app-vocabulary';
import { scrubPayload } from '../../src/samples/scrub';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

// Personal data no sample may keep: each string is searched for (case-insensitively, also URL-encoded) in the written file.
const PERSONAL = {
  first: 'Zebulon',
  last: 'Quigglesworth',
  email: 'zebulon.quigglesworth@wombatmail.example',
  billingEmail: 'accounts@quigglesworth-holdings.example',
  phone: '+44 7700 900461',
  street: 'Marmaladestraat 77',
  city: 'Ypenburg',
  zip: '2497 ZX',
  company: 'Quigglesworth Holdings',
  vat: 'NL998877665B42',
  ip: '198.51.100.23',
  note: 'Leave the parcel with Mrs Higginbottom',
};

function personalEvent() {
  const payload = examplePayload('new_simple_sale');
  const { customer } = payload.data.order;
  payload.data.order.id = 'ord_capture1';
  customer.name = `  ${PERSONAL.first} ${PERSONAL.last} `;
  customer.email = PERSONAL.email;
  customer.telephone = PERSONAL.phone;
  customer.ip_address = PERSONAL.ip;
  customer.addresses.billing[0].email = PERSONAL.billingEmail;
  customer.addresses.billing[0].street = PERSONAL.street;
  customer.addresses.billing[0].city = PERSONAL.city;
  customer.addresses.billing[0].zipcode = PERSONAL.zip;
  customer.addresses.billing[0]['custom-billing-fields'] = [
    { label: 'VAT number', value: PERSONAL.vat },
    { label: 'Company', value: PERSONAL.company },
    { label: 'Delivery note', value: PERSONAL.note },
  ];
  customer.aliases = [[`${PERSONAL.first} Q.`, PERSONAL.last], [PERSONAL.email]];
  payload.data.order.note = PERSONAL.note;
  payload.data.subscription = {
    id: 'sub_9x8y7z',
    cancellation_link: `https://app.plugandpaid.example/cancel/${PERSONAL.first.toLowerCase()}-${PERSONAL.last.toLowerCase()}/sub_9x8y7z?email=${encodeURIComponent(PERSONAL.email)}&name=${encodeURIComponent(`${PERSONAL.first} ${PERSONAL.last}`)}`,
  };
  return payload;
}

describe('Confirming the assumptions from real traffic', () => {
  let app: AppCopy;
  let runtime: TestRuntime;
  let client: string[];

  beforeEach(async () => {
    app = new AppCopy();
    runtime = await new TestRuntime(undefined, { appDir: app.dir }).start();
    client = ['--url', runtime.url, '--data', runtime.dataDir];
  });
  afterEach(async () => {
    await runtime.destroy();
    app.remove();
  });

  async function post(payload: unknown): Promise<number> {
    const hook = await runtime.defaultWebhook();
    const answer = await runtime.post(hook.url, JSON.stringify(payload));
    expect(answer.status).to.equal(200);
    return answer.body.event;
  }

  it('finds an unknown type and extra fields in drift, aliases the type, and after a restart routes the stored events to the right module', async () => {
    const shipped = (id: string) => ({ type: 'order_sent', data: { order: { id, status: 'shipped', tracking_number: `TRK-${id}`, products: [] } } });
    const first = await post(shipped('1'));
    await post(shipped('2'));
    const sale = examplePayload('new_simple_sale');
    sale.data.order.coupon_code = 'WINTER';
    await post(sale);
    await runtime.runtime.engine.drain();

    const readable = await cli(['drift', ...client]);
    expect(readable.code, readable.stderr).to.equal(0);
    expect(readable.stdout).to.match(/Unknown event types \(1\)\n {2}TYPE +EVENTS +FIRST SEEN +LAST SEEN +EXAMPLE EVENT\n {2}order_sent +2 events +\S+ +\S+ +\d+\n/);
    expect(readable.stdout).to.match(/new_simple_sale +data\.order\.coupon_code +1 event /);
    expect(readable.stdout).to.contain('catalogue alias <type> <event>');
    const json = await cli(['drift', '--json', ...client]);
    expect(JSON.parse(json.stdout)).to.deep.equal((await runtime.api('GET', '/api/drift')).body);

    const catalogue = join(app.dir, 'schemas', 'events.json');
    const before = readFileSync(catalogue, 'utf8');
    const aliased = await cli(['catalogue', 'alias', 'order_sent', 'order_shipped', '--app', app.dir]);
    expect(aliased.code, aliased.stderr).to.equal(0);
    expect(aliased.stdout).to.contain('replay type order_sent');
    const after = readFileSync(catalogue, 'utf8');
    // Only the alias was added: every line of the old file is still there, in order, as it was.
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added.map((line) => line.trim())).to.deep.equal(['"aliases": [', '"order_sent"', '],']);
    expect(after).to.contain('"modules": ["watch-order-shipped"]');
    expect(validateApp(app.dir).problems).to.deep.equal([]);

    await runtime.stop();
    runtime = await new TestRuntime(runtime.dataDir, { appDir: app.dir }).start();
    client = ['--url', runtime.url, '--data', runtime.dataDir];
    const one = await cli(['replay', 'event', String(first), ...client]);
    expect(one.code, one.stderr).to.equal(0);
    await runtime.runtime.engine.drain();
    const all = await cli(['replay', 'type', 'order_sent', ...client]);
    expect(JSON.parse(all.stdout)).to.deep.equal({ replayed: 1, type: 'order_sent', status: 'unrouted', webhook: null });
    await runtime.runtime.engine.drain();

    const hook = await runtime.defaultWebhook();
    const trigger = (await runtime.api('GET', `/api/webhooks/${hook.id}/triggers`)).body.items.find((t: { module: string }) => t.module === 'watch-order-shipped');
    const bundles = (await runtime.api('GET', `/api/triggers/${trigger.id}/bundles`)).body.items;
    expect(bundles.map((b: { data: { eventType: string; shipment: { trackingNumber: string } } }) => [b.data.eventType, b.data.shipment.trackingNumber])).to.deep.equal([
      ['order_sent', 'TRK-1'],
      ['order_sent', 'TRK-2'],
    ]);
    expect((await cli(['drift', '--json', ...client])).stdout).to.not.contain('"type": "order_sent"');
  });

  it('refuses an alias to an unknown event, a duplicate, and a catalogue name, without touching the file', async () => {
    const catalogue = join(app.dir, 'schemas', 'events.json');
    const before = readFileSync(catalogue, 'utf8');
    const unknown = await cli(['catalogue', 'alias', 'order_sent', 'order_sended', '--app', app.dir]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^'order_sended' is not an event of schemas\/events\.json\. Events: .*order_shipped/);
    const canonical = await cli(['catalogue', 'alias', 'refund', 'order_shipped', '--app', app.dir]);
    expect(canonical.stderr).to.equal("'refund' is itself an event of schemas/events.json; it needs no alias\n");
    expect((await cli(['catalogue', 'alias', 'order_sent', 'order_shipped', '--app', app.dir])).code).to.equal(0);
    const again = await cli(['catalogue', 'alias', 'order_sent', 'order_shipped', '--app', app.dir]);
    expect(again).to.deep.include({ code: 2, stderr: "'order_sent' is already an alias of 'order_shipped' in schemas/events.json\n" });
    const elsewhere = await cli(['catalogue', 'alias', 'order_sent', 'refund', '--app', app.dir]);
    expect(elsewhere.stderr).to.contain("already an alias of 'order_shipped'");
    const spaced = await cli(['catalogue', 'alias', 'order sent', 'refund', '--app', app.dir]);
    expect(spaced.code).to.equal(2);
    for (const reserved of ['__proto__', 'constructor']) {
      const refused = await cli(['catalogue', 'alias', reserved, 'refund', '--app', app.dir]);
      expect(refused).to.deep.include({ code: 2, stderr: `'${reserved}' cannot be an event type: JavaScript objects reserve that name, so the alias would be lost\n` });
    }
    expect(readFileSync(catalogue, 'utf8')).to.equal(before.replace('"aliases": [],\n      "modules": ["watch-order-shipped"]', '"aliases": [\n        "order_sent"\n      ],\n      "modules": ["watch-order-shipped"]'));
  });

  it('captures a sample from an event full of personal data, keeping none of it, and the app still validates', async () => {
    const id = await post(personalEvent());
    await runtime.runtime.engine.drain();
    const samplesFile = join(app.dir, 'modules', 'watch-one-time-sale', 'samples.json');
    const samplesBefore = JSON.parse(readFileSync(samplesFile, 'utf8'));

    const run = await cli(['samples', 'capture', String(id), '--module', 'watch-one-time-sale', '--app', app.dir, ...client]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^appended "Captured from event \d+ \(new_simple_sale\), personal data replaced by fakes" \(1 bundle\) to .*samples\.json; the app validates\.\n$/);

    const written = readFileSync(samplesFile, 'utf8');
    const haystack = [written, decodeURIComponent(written)].join('\n').toLowerCase();
    for (const value of Object.values(PERSONAL)) {
      for (const needle of [value, ...value.split(/[\s@.]+/).filter((part) => part.length >= 5 && part !== 'example')]) {
        expect(haystack, `'${needle}' survived`).to.not.contain(needle.toLowerCase());
      }
    }
    const samples = JSON.parse(written);
    expect(samples.slice(0, -1)).to.deep.equal(samplesBefore);
    const captured = samples.at(-1);
    // Amounts, currencies, product ids, timestamps, statuses and the type are kept; other ids keep their shape.
    expect(captured.payload.type).to.equal('new_simple_sale');
    expect(captured.payload.data.order).to.include({ status: 'paid', amount_total: 129.9, currency: 'eur', created_at: '2026-11-20T14:03:11+01:00' });
    expect(captured.payload.data.order.id).to.match(/^ord_[a-z]{7}\d$/).and.not.equal('ord_capture1');
    expect(captured.payload.data.order.products.map((p: { id: string }) => p.id)).to.deep.equal(['prod_course', 'prod_workbook']);
    // The subscription's id is faked the same way in the link that carries it.
    const subscription = captured.payload.data.subscription;
    expect(subscription.id).to.match(/^sub_\d[a-z]\d[a-z]\d[a-z]$/).and.not.equal('sub_9x8y7z');
    expect(subscription.cancellation_link).to.match(new RegExp(`^https://app\\.plugandpaid\\.example/[^/]+/[^/]+/${subscription.id}\\?email=[^&]+%40[^&]+&name=`));
    expect(captured.payload.data.order.customer.email).to.match(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(captured.payload.data.order.customer.ip_address).to.match(/^\d+\.\d+\.\d+\.\d+$/);
    // The bundles are what the mapping makes of the scrubbed payload.
    const module = loadApp(app.dir).modules.find((m) => m.name === 'watch-one-time-sale')!;
    const mapped = mapWithModule(module, captured.payload);
    expect(mapped.ok && mapped.bundles.map((b) => b.data)).to.deep.equal(captured.bundles);
    expect(validateApp(app.dir).problems).to.deep.equal([]);
    // Deterministic: the same event gives the same fakes.
    expect(scrubPayload(personalEvent(), scrubVocabulary(loadApp(app.dir), module))).to.deep.equal(captured.payload);
  });

  it('keeps docs/modules.md in step with an alias it adds', async () => {
    expect((await cli(['docs', '--app', app.dir])).code).to.equal(0);
    const aliased = await cli(['catalogue', 'alias', 'order_sent', 'order_shipped', '--app', app.dir]);
    expect(aliased.code, aliased.stderr).to.equal(0);
    expect(aliased.stdout).to.match(/Regenerated .*docs\/modules\.md\./);
    const docs = readFileSync(join(app.dir, 'docs', 'modules.md'), 'utf8');
    expect(docs).to.contain('order_sent');
    expect(docs).to.equal(modulesMarkdown(loadApp(app.dir)));
  });

  it('captures an event once: a second capture of it appends nothing', async () => {
    const id = await post(examplePayload('refund'));
    await runtime.runtime.engine.drain();
    const file = join(app.dir, 'modules', 'watch-order-refunded', 'samples.json');
    // Without --module: the refund reached one module, watch-order-refunded.
    const first = await cli(['samples', 'capture', String(id), '--app', app.dir, ...client]);
    expect(first.code, first.stderr).to.equal(0);
    const once = readFileSync(file, 'utf8');
    const count = JSON.parse(once).length;
    const again = await cli(['samples', 'capture', String(id), '--app', app.dir, ...client]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(new RegExp(`^event ${id} is already sample ${count} of watch-order-refunded \\("Captured from event ${id} \\(refund\\), .*"\\ in .*samples\\.json\\); nothing appended\\.\n$`));
    expect(readFileSync(file, 'utf8')).to.equal(once);
  });

  it('asks for --module when the event reached several modules, naming them', async () => {
    const id = await post(personalEvent());
    await runtime.runtime.engine.drain();
    const run = await cli(['samples', 'capture', String(id), '--app', app.dir, ...client]);
    expect(run).to.deep.include({ code: 2, stderr: `event ${id} reached watch-one-time-sale, watch-customers: pass --module with the one whose samples.json gets the sample\n` });
  });

  it('refuses a module that does not watch the event, and a module that fetches from the API, without touching samples.json', async () => {
    const id = await post(personalEvent());
    await runtime.runtime.engine.drain();
    const file = join(app.dir, 'modules', 'watch-order-refunded', 'samples.json');
    const before = readFileSync(file, 'utf8');
    const wrong = await cli(['samples', 'capture', String(id), '--module', 'watch-order-refunded', '--app', app.dir, ...client]);
    expect(wrong).to.deep.include({ code: 1, stderr: `event ${id} is a 'new_simple_sale' event, which watch-order-refunded does not watch (watched by: watch-one-time-sale, watch-customers)\n` });
    expect(readFileSync(file, 'utf8')).to.equal(before);
    const none = await cli(['samples', 'capture', String(id), '--module', 'watch-nothing', '--app', app.dir, ...client]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/^unknown module 'watch-nothing'\. Modules: watch-one-time-sale, /);
    const missing = await cli(['samples', 'capture', '999999', '--module', 'watch-one-time-sale', '--app', app.dir, ...client]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('event 999999 not found');
    const plugAndPay = loadApp('apps/plug-and-pay');
    const fetching = plugAndPay.modules.find((m) => m.name === 'watch-order-paid')!;
    expect(captureSample(plugAndPay, fetching, 7, fetching.samples[0].payload)).to.deep.equal({
      ok: false,
      error: "watch-order-paid maps the object it fetches from the API, and the runtime does not keep the API's answer; write this module's samples by hand",
    });
  });
});
