import { bundleCursor, BundlePage, DerivedBundle } from '../processing/bundle-reader';

/**
 * A page of the pull API as the bytes it sends: `{"items":[…],"next":…,"hasMore":…}`, each item `bundleView` of a
 * bundle, written straight from the bundle's JSON text (which is not parsed and serialised again).
 *
 * The pieces are copied once into one buffer of their summed byte length. Joining them into one string first would
 * copy each bundle's data twice more (the join, then the UTF-8 encoding of the whole answer), which costs more
 * than a page's SQL.
 */
export function bundlePageBytes(page: BundlePage): Buffer {
  const pieces = ['{"items":['];
  for (const [index, bundle] of page.bundles.entries()) pieces.push(index === 0 ? '' : ',', ...bundlePieces(bundle));
  pieces.push(`],"next":${JSON.stringify(page.next)},"hasMore":${page.hasMore}}`);
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const piece of pieces) offset += bytes.write(piece, offset);
  return bytes;
}

// `bundleView` of a bundle as JSON text, in pieces: its data and errors are already JSON.
function bundlePieces(bundle: DerivedBundle): string[] {
  const valid = bundle.errors === '[]';
  return [
    `{"id":"${bundleCursor(bundle)}","eventId":${bundle.eventId},"triggerId":${JSON.stringify(bundle.triggerId)},"seq":${bundle.seq},"data":`,
    bundle.data,
    `,"valid":${valid},"errors":`,
    bundle.errors,
    `,"receivedAt":"${new Date(bundle.receivedAt).toISOString()}"}`,
  ];
}
