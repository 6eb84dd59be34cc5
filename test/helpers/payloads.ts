import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';

/** A realistic Plug&Paid payload from examples/payloads, by event type (a fresh copy each call). */
export function examplePayload(type: string): any {
  return JSON.parse(readFileSync(join(DEFAULT_APP_DIR, 'examples', 'payloads', `${type}.json`), 'utf8'));
}

/** A one-time sale of `lines` order lines (about 70 bytes each), as a careless or hostile sender could post. */
export function manyLineOrder(lines: number, orderId = `ord_lines_${lines}`): any {
  const payload = examplePayload('new_simple_sale');
  payload.data.order.id = orderId;
  payload.data.order.products = Array.from({ length: lines }, (_, index) => ({ id: `prod_${index}`, title: `Product number ${index}`, price: 9.99, quantity: 1 }));
  return payload;
}
