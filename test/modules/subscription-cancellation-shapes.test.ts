import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import { mapEvent } from '../../src/mapping/map-event';

const app = loadApp();
const trigger = app.modules.find((candidate) => candidate.name === 'watch-recurring-subscription-canceled')!;
const customer = { id: 'cus_1', name: 'Ada', email: 'Ada@Example.com' };
const products = [{ id: 'prod_a', title: 'A', price: 19, quantity: 1 }];
const subscription = { id: 'sub_1', cancellation_link: 'https://example.com/cancel' };

function bundlesOf(data: Record<string, unknown>, parameters?: Record<string, unknown>) {
  const [mapping] = mapEvent(app, { type: 'recurring_subscription_cancelled', data }, { only: trigger.name, parameters });
  if (!mapping.ok) throw new Error(mapping.error);
  return mapping.bundles.map((bundle) => bundle.data);
}

describe('Watch Recurring Subscription Canceled: both observed payload shapes', () => {
  it('maps products and customer sent directly under data', () => {
    const [bundle] = bundlesOf({ products, customer, subscription });
    expect(bundle).to.deep.include({ productIds: ['prod_a'], products });
    expect(bundle.customer).to.include({ id: 'cus_1', email: 'ada@example.com' });
    expect(bundle).to.not.have.property('orderId');
  });

  it('maps the order sent under data.order, keeping its customer, products and id', () => {
    const [bundle] = bundlesOf({ order: { id: 'ord_1', products, customer }, subscription });
    expect(bundle).to.deep.include({ orderId: 'ord_1', productIds: ['prod_a'], products });
    expect(bundle.customer).to.include({ id: 'cus_1', email: 'ada@example.com' });
    expect(bundle.subscription).to.deep.equal({ id: 'sub_1', cancellationLink: 'https://example.com/cancel' });
  });

  it('filters and splits the data.order shape by product like the other', () => {
    expect(bundlesOf({ order: { id: 'ord_1', products, customer } }, { products: ['prod_b'] })).to.deep.equal([]);
    const lines = bundlesOf({ order: { id: 'ord_1', products, customer } }, { products: ['prod_a'], bundlePerOrderLine: true });
    expect(lines.map((bundle) => (bundle.orderLine as { id: string }).id)).to.deep.equal(['prod_a']);
  });
});
