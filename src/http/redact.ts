/** Replaces every occurrence of each secret (4+ characters) with a mask, so no message can leak one. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => typeof secret === 'string' && secret.length >= 4)
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => result.split(secret).join('********'), text);
}
