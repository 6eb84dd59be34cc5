/** How much sender-controlled text is kept where it is stored and shown outside the raw body. */
export const TEXT_LIMITS = {
  /** An event type as received: real ones are a few words. */
  type: 200,
  /** An error or reason kept on an event (it may quote sender or API text). */
  error: 4000,
  /** A drift path, pointer or message. */
  drift: 300,
} as const;

/**
 * `text` cut to at most `max` characters, the cut visible: the kept start, then `…[+N chars]` saying how much
 * was left out. Text within the limit is returned as it is, so bounding twice changes nothing.
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `…[+${text.length} chars]`;
  let kept = text.slice(0, Math.max(0, max - marker.length));
  // Never leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  const cut = text.length - kept.length;
  return `${kept}…[+${cut} chars]`;
}
