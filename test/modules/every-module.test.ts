import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { mapWithModule } from '../../src/mapping/map-event';
import { examplePayload } from '../helpers/payloads';

const app = loadApp();

// What a realistic payload must carry into every bundle, per payload kind.
function expectCarried(kind: string, payload: any, bundle: any): void {
  if (kind === 'product') {
    expect(bundle.product.id).to.equal(payload.data.product.id);
    expect(bundle.product.name).to.equal(payload.data.product.name);
    return;
  }
  const source = kind === 'order' ? payload.data.order : payload.data;
  const customer = bundle.customer ?? bundle;
  expect(customer.email).to.equal(source.customer.email.toLowerCase());
  expect(bundle.productIds).to.deep.equal(source.products.map((product: any) => product.id));
  if (kind === 'order' && bundle.order) {
    expect(bundle.order.id).to.equal(source.id);
    expect(bundle.order.amountTotal).to.equal(Number(source.amount_total));
  }
  if (kind === 'order' && !bundle.order) expect(bundle.orderId).to.equal(source.id);
}

for (const module of app.modules) {
  describe(module.label, () => {
    it('reacts to at least one catalogued event type', () => {
      expect(module.events.length).to.be.greaterThan(0);
    });

    module.samples.forEach((sample) => {
      it(`maps its sample "${sample.title}" to the stored bundles, valid against the output schema`, () => {
        const result = mapWithModule(module, sample.payload, { parameters: sample.parameters });
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        if (!result.ok) return;
        expect(result.bundles.map((bundle) => bundle.data)).to.deep.equal(sample.bundles);
        result.bundles.forEach((bundle) => expect(bundle.errors).to.deep.equal([]));
      });
    });

    for (const type of module.events) {
      it(`maps a realistic ${type} payload, carrying its ids, email and amounts`, () => {
        const payload = examplePayload(type);
        const result = mapWithModule(module, payload);
        expect(result.ok).to.equal(true);
        if (!result.ok) return;
        expect(result.bundles).to.have.length(1);
        const [bundle] = result.bundles;
        expect(bundle.errors).to.deep.equal([]);
        expect(bundle.data.eventType).to.equal(type);
        expectCarried(app.events[type].payload, payload, bundle.data);
      });
    }
  });
}
