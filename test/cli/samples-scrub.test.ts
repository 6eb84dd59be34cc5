import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { validateApp } from '../../src/definition/validate';
import { captureSample } from '../../src/samples/capture';
import { fieldOf } from '../../src/samples/key-words';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { examplePayload } from '../helpers/payloads';
import { TestRuntime } from '../helpers/runtime';

const NAME = 'Jan de Vries';
const EMAIL = 'jan.devries@example.com';
const BIRTHDAY = '1985-04-12';

// Everything planted below, each a string no scrubbed sample may contain in any case.
const PLANTED = {
  name: NAME,
  nameParts: ['Jan', 'Vries', 'devries', 'jdevries'],
  email: EMAIL,
  localPart: 'jan.devries',
  phone: '+31 6 1234 5678',
  birthday: BIRTHDAY,
  note: "Paid by Jan de Vries via Jan's card",
  ip: '203.0.113.7',
  port: '51234',
  ibans: ['NL91ABNA0417164300', 'NL02RABO0123456789', 'NL44INGB0001234567'],
  vat: 'NL123456789B01',
  taxId: '123-45-6789',
  nationalId: 'BSN999999990',
  ssn: '078-05-1120',
  loyalty: '48213',
  profile: 'https://jan-devries.example.com/u/jdevries/jan.devries@example.com',
};

function plantedEvent() {
  const payload = examplePayload('new_simple_sale');
  const { order } = payload.data;
  const { customer } = order;
  customer.name = NAME;
  customer.email = EMAIL;
  customer.telephone = PLANTED.phone;
  customer.birthday = BIRTHDAY;
  customer.ip = `${PLANTED.ip}:${PLANTED.port}`;
  customer.bank_account = PLANTED.ibans[0];
  customer.account = PLANTED.ibans[1];
  customer.mandate = { reference: PLANTED.ibans[2], signed_at: '2024-02-01' };
  customer.vat_number = PLANTED.vat;
  customer.tax_id = PLANTED.taxId;
  customer.national_id = PLANTED.nationalId;
  customer.ssn = PLANTED.ssn;
  customer.profile = PLANTED.profile;
  customer.addresses.billing[0]['custom-billing-fields'].push({ label: "Jan's reference", value: 'JDV-2024' });
  order.notes = PLANTED.note;
  order.labels = ['VIP: Jan de Vries', 'jdevries'];
  order.payment_method = "Jan's card";
  order.loyalty_points = Number(PLANTED.loyalty);
  order.seen_by = { [EMAIL]: true, [NAME]: '2026-11-20' };
  return payload;
}

describe('Samples capture keeps no personal data', () => {
  let app: AppCopy;
  let runtime: TestRuntime;

  beforeEach(async () => {
    app = new AppCopy();
    runtime = await new TestRuntime(undefined, { appDir: app.dir }).start();
  });
  afterEach(async () => {
    await runtime.destroy();
    app.remove();
  });

  it('learns the customer from the event and replaces every planted value, in values, keys, URLs and free text, keeping the sample valid', async () => {
    const hook = await runtime.defaultWebhook();
    const answer = await runtime.post(hook.url, JSON.stringify(plantedEvent()));
    expect(answer.status).to.equal(200);
    await runtime.runtime.engine.drain();
    const file = join(app.dir, 'modules', 'watch-one-time-sale', 'samples.json');

    const run = await cli(['samples', 'capture', String(answer.body.event), '--module', 'watch-one-time-sale', '--app', app.dir, '--url', runtime.url, '--data', runtime.dataDir]);
    expect(run.code, run.stderr).to.equal(0);

    const written = readFileSync(file, 'utf8');
    const haystack = `${written}\n${decodeURIComponent(written)}`.toLowerCase();
    for (const planted of Object.values(PLANTED).flat()) {
      expect(haystack, `'${planted}' survived`).to.not.contain(planted.toLowerCase());
    }
    const sample = JSON.parse(written).at(-1);
    const { order } = sample.payload.data;
    // A birthday stays a real calendar date in the same layout.
    const birthday: string = order.customer.birthday;
    expect(birthday).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${birthday}T00:00:00Z`).toISOString().slice(0, 10)).to.equal(birthday);
    // Still an address with a port, an IBAN-shaped code, a number of five digits.
    expect(order.customer.ip).to.match(/^\d+\.\d+\.\d+\.\d+:\d+$/);
    expect(order.customer.bank_account).to.match(/^[A-Z]{2}\d{2}[A-Z]{4}\d{10}$/);
    expect(order.loyalty_points).to.be.a('number').within(10000, 99999);
    // What is known to be safe is kept: the type, a status, amounts, a currency, product ids, timestamps, booleans, a custom field's label.
    expect(sample.payload.type).to.equal('new_simple_sale');
    expect(order).to.include({ status: 'paid', amount_total: 129.9, currency: 'eur', created_at: '2026-11-20T14:03:11+01:00' });
    expect(order.products.map((product: { id: string }) => product.id)).to.deep.equal(['prod_course', 'prod_workbook']);
    expect(order.customer.mandate.signed_at).to.equal('2024-02-01');
    expect(Object.values(order.seen_by)).to.include(true);
    expect(order.customer.addresses.billing[0]['custom-billing-fields'].map((field: { label: string }) => field.label)).to.deep.include.members(['VAT number', 'Company']);
    // The same faked email wherever the customer's email was: as a value, as a key.
    expect(Object.keys(order.seen_by)).to.include(order.customer.email);

    const validate = await cli(['validate', '--app', app.dir]);
    expect(validate.code, validate.stdout + validate.stderr).to.equal(0);
    // Deterministic: the same event scrubs the same way.
    const reloaded = loadApp(app.dir);
    const again = captureSample(reloaded, reloaded.modules.find((module) => module.name === 'watch-one-time-sale')!, answer.body.event, plantedEvent());
    expect(again.ok && again.sample).to.deep.equal(sample);
  });

  it('keeps every shipped sample valid when it is captured: each module, each event shape', () => {
    const shipped = loadApp(app.dir);
    let total = 0;
    for (const module of shipped.modules) {
      const captured = module.samples.map((sample, index) => {
        const result = captureSample(shipped, module, index + 1, sample.payload);
        expect(result.ok, `${module.name} sample ${index + 1}: ${result.ok ? '' : result.error}`).to.equal(true);
        return result.ok ? result.sample : undefined;
      });
      app.edit(`modules/${module.name}/samples.json`, (samples: unknown[]) => samples.push(...captured));
      total += captured.length;
    }
    expect(total).to.be.greaterThan(shipped.modules.length);
    expect(validateApp(app.dir).problems).to.deep.equal([]);
  });

  it('judges a key by its whole words, not by letters inside them', () => {
    const personal = ['bank_account', 'account', 'mandate', 'iban', 'vat_number', 'tax_id', 'national_id', 'ssn', 'ip', 'ip_address', 'ipAddress', 'customer_id', 'date_of_birth'];
    const safe = ['product_id', 'amount', 'currency', 'created_at', 'amount_total', 'tax_amount', 'vat_rate'];
    for (const key of personal) expect(fieldOf(key, []), key).to.have.property('personal');
    for (const key of safe) expect(fieldOf(key, []), key).to.have.property('safe');
    expect(fieldOf('id', ['products'])).to.deep.equal({ safe: 'productId' });
    expect(fieldOf('id', ['customer'])).to.deep.equal({ personal: 'personId' });
    expect(fieldOf('loyalty_points', [])).to.deep.equal({ unknown: true });
  });
});
