import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Realistic Plug&Paid sale bodies of about the given size; `__N__` is replaced per request to keep them unique. */
export function saleTemplate(targetBytes: number): string {
  const payload = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'payloads', 'new_simple_sale.json'), 'utf8'));
  payload.data.order.id = 'ord___N__';
  const line = (index: number) => ({ id: `prod_${index}`, title: `Course module ${index}: bookkeeping, VAT and invoicing basics`, price: 19.9, quantity: 1 });
  for (let index = 3; JSON.stringify(payload).length < targetBytes; index += 1) payload.data.order.products.push(line(index));
  return JSON.stringify(payload);
}

/** Parses a size like 0.5k, 5k, 50k, or plain bytes. */
export function parseSize(text: string): number {
  const match = /^([0-9.]+)\s*(k|kb)?$/i.exec(text.trim());
  if (!match) throw new Error(`--body takes a size such as 0.5k, 5k or 50k, got ${text}`);
  return Math.round(Number(match[1]) * (match[2] ? 1024 : 1));
}
