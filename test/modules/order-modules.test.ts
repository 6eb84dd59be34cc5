import { expect } from 'chai';
import { loadApp } from '../../src/definition/loader';
import type { ModuleDefinition } from '../../src/definition/types';
import { mapEvent, mapWithModule, MappedBundle } from '../../src/mapping/map-event';
import { examplePayload } from '../helpers/payloads';

const app = loadApp();
const moduleNamed = (name: string): ModuleDefinition => app.modules.find((module) => module.name === name)!;

function bundlesOf(module: ModuleDefinition, payload: unknown, parameters?: Record<string, unknown>): MappedBundle[] {
  const result = mapWithModule(module, payload, { parameters });
  if (!result.ok) throw new Error(result.error);
  return result.bundles;
}

describe('Watch Order Refunded', () => {
  const module = moduleNamed('watch-order-refunded');

  it('maps a refund with two products', () => {
    const [bundle] = bundlesOf(module, examplePayload('refund'));
    expect(bundle.data.order).to.deep.equal({ id: 'ord_8f3k2j', status: 'refunded', amountTotal: 129.9, currency: 'EUR', createdAt: '2026-11-20T13:03:11.000Z' });
    expect(bundle.data.productIds).to.deep.equal(['prod_course', 'prod_workbook']);
    expect((bundle.data.products as unknown[]).length).to.equal(2);
  });

  it('outputs one bundle per order line when asked', () => {
    const bundles = bundlesOf(module, examplePayload('refund'), { bundlePerOrderLine: true });
    expect(bundles.map((bundle) => (bundle.data.orderLine as { id: string }).id)).to.deep.equal(['prod_course', 'prod_workbook']);
    bundles.forEach((bundle) => expect(bundle.data.order).to.have.property('id', 'ord_8f3k2j'));
  });

  it('outputs no bundle for an order without the chosen product', () => {
    const result = mapWithModule(module, examplePayload('refund'), { parameters: { products: ['prod_other'] } });
    expect(result).to.include({ ok: true, filtered: true });
    expect(result.ok && result.bundles).to.deep.equal([]);
  });

  it('keeps the whole order when one of its products is chosen', () => {
    const bundles = bundlesOf(module, examplePayload('refund'), { products: ['prod_workbook'] });
    expect(bundles).to.have.length(1);
    expect(bundles[0].data.productIds).to.deep.equal(['prod_course', 'prod_workbook']);
  });

  it('matches numeric product ids against the chosen ids (which are text)', () => {
    const payload = examplePayload('refund');
    payload.data.order.products = [{ id: 17, title: 'Numbered' }, { id: 18, title: 'Other' }];
    const bundles = bundlesOf(module, payload, { bundlePerOrderLine: true, products: ['18'] });
    expect(bundles.map((bundle) => bundle.data.orderLine)).to.deep.equal([{ id: 18, title: 'Other' }]);
  });
});

describe('Watch One Time Sale', () => {
  const module = moduleNamed('watch-one-time-sale');

  it('reads the email from the billing address when the customer has none', () => {
    const payload = examplePayload('new_simple_sale');
    delete payload.data.order.customer.email;
    const [bundle] = bundlesOf(module, payload);
    expect((bundle.data.customer as { email: string }).email).to.equal('billing@example.com');
  });

  it('turns the custom billing fields into a collection by label', () => {
    const [bundle] = bundlesOf(module, examplePayload('new_simple_sale'));
    expect((bundle.data.customer as { customFields: unknown }).customFields).to.deep.equal({ 'VAT number': 'NL001234567B01', Company: 'Analytical Engines BV' });
  });

  it('parses an amount sent as text', () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.amount_total = '129.90';
    const [bundle] = bundlesOf(module, payload);
    expect((bundle.data.order as { amountTotal: number }).amountTotal).to.equal(129.9);
  });

  it('flags, but still returns, a bundle that breaks the output schema', () => {
    const payload = examplePayload('new_simple_sale');
    payload.data.order.status = 42;
    const [bundle] = bundlesOf(module, payload);
    expect(bundle.data.order).to.have.property('status', 42);
    expect(bundle.errors).to.deep.equal([{ pointer: '/order/status', message: 'must be string' }]);
  });
});

describe('Watch Customers', () => {
  it('reacts to one-time and recurring sales with the customer at the top level', () => {
    for (const type of ['new_simple_sale', 'recurring_subscription_sale']) {
      const results = mapEvent(app, examplePayload(type));
      const customers = results.find((result) => result.module === 'watch-customers');
      expect(customers && customers.ok && customers.bundles[0].data).to.include({ email: 'ada.lovelace@example.com', name: 'Ada Lovelace' });
    }
  });
});

describe('Watch Recurring Subscription Canceled', () => {
  it('reads products and customer directly under data', () => {
    const [bundle] = bundlesOf(moduleNamed('watch-recurring-subscription-canceled'), examplePayload('recurring_subscription_cancelled'));
    expect(bundle.data.subscription).to.deep.equal({ id: 'sub_77q1', cancellationLink: 'https://checkout.example-shop.com/subscriptions/sub_77q1/cancel' });
    expect(bundle.data.productIds).to.deep.equal(['prod_membership']);
  });
});

describe('Watch Order Tracking Number', () => {
  it('outputs the tracking number and carrier', () => {
    const [bundle] = bundlesOf(moduleNamed('watch-order-tracking-number'), examplePayload('order_tracking_number'));
    expect(bundle.data.shipment).to.deep.equal({ trackingNumber: '3SABCD1234567', trackingUrl: 'https://tracking.example-carrier.com/3SABCD1234567', carrier: 'PostNL' });
  });
});

describe('event routing', () => {
  it('routes an alias to the same modules as the canonical type', () => {
    const aliased = { ...app, eventAliases: { ...app.eventAliases, 'order.refunded': 'refund' } };
    const payload = { ...examplePayload('refund'), type: 'order.refunded' };
    expect(mapEvent(aliased, payload).map((result) => result.module)).to.deep.equal(['watch-order-refunded']);
  });

  it('routes nothing for an unknown event type', () => {
    expect(mapEvent(app, { type: 'coupon_created', data: {} })).to.deep.equal([]);
  });
});
