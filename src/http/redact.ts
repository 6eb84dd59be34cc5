const MASK = '********';

/**
 * The spellings of a secret a message may carry: itself, and the parts of its base64 (standard and URL-safe) that
 * any base64 text holding it contains at each of the three byte alignments (as in `Basic base64(user:secret)`).
 * Case is handled by the caller's case-insensitive match, which also catches the secret lower- or upper-cased.
 */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const encoded = [0, 1, 2].flatMap((shift) => {
    const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Characters that also depend on the bytes before (the shift) or after the secret are left out.
    const core = text.slice(Math.ceil((shift * 4) / 3), Math.floor(((shift + bytes.length) * 4) / 3) - 1);
    return core.length >= 8 ? [core, core.replace(/\+/g, '-').replace(/\//g, '_')] : [];
  });
  return [secret, ...encoded];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of each secret (4+ characters) with a mask, so no message can leak one: also
 * lower- or upper-cased, and base64-encoded (alone or inside a longer base64 text such as a Basic header).
 */
export function redact(text: string, secrets: readonly string[]): string {
  const patterns = secrets
    .filter((secret) => typeof secret === 'string' && secret.length >= 4)
    .flatMap(spellings)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  if (patterns.length === 0) return text;
  // base64 is case-sensitive, but masking a differently-cased lookalike too only hides more.
  return text.replace(new RegExp(patterns.join('|'), 'gi'), MASK);
}
