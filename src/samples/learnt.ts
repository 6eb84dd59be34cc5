import type { Fakes } from './fakes';
import type { PersonalKind } from './key-words';
import { shapeOf } from './shapes';

// Shorter parts (`de` in Jan de Vries, an initial) are too common inside other words to replace everywhere.
const SHORTEST = 3;

const NAMES: ReadonlySet<PersonalKind> = new Set(['firstName', 'lastName', 'fullName', 'username']);

/**
 * The personal values of one event, learnt before anything is faked: every value under a personal field, each
 * part of a name, an email's local part and its pieces, a phone's digits. Every occurrence of any of them, in
 * any case, anywhere in a text (a value, a key, a host name) is then replaced by the same fake.
 */
export class Learnt {
  private readonly makers = new Map<string, (fakes: Fakes) => string>();
  private readonly replacements = new Map<string, string>();
  private pattern: RegExp | undefined;
  private tester: RegExp | undefined;

  /** Learns a value found under a personal field of `kind` (or an email found anywhere). */
  add(kind: PersonalKind, value: string): void {
    const core = value.trim();
    // A URL is scrubbed part by part; what in it is personal is learnt from the fields that hold it alone.
    if (shapeOf(core) === 'url') return;
    this.learn(core, (fakes) => fakes.personal(kind, core));
    if (shapeOf(core) === 'email') {
      const local = core.slice(0, core.lastIndexOf('@'));
      this.learn(local, (fakes) => local.split(/([._+-])/).map((piece, i) => (i % 2 ? piece : fakes.namePart(piece, i === 0).toLowerCase())).join(''));
      this.parts(local.split(/[._+-]+/));
    } else if (NAMES.has(kind)) {
      this.parts(core.split(/[\s,.'’_-]+/), kind !== 'lastName');
    } else if (kind === 'phone') {
      const digits = core.replace(/\D/g, '');
      if (digits.length >= 6) this.learn(digits, (fakes) => fakes.personal('phone', digits));
    }
  }

  /** Whether a text carries a learnt value (in any case). */
  contains(text: string): boolean {
    const pattern = this.compiled();
    if (!pattern) return false;
    this.tester ??= new RegExp(pattern.source, 'iu');
    return this.tester.test(text);
  }

  /** The text with every learnt value replaced by its fake, cased like the occurrence (JAN → PETER, jan → peter). */
  redact(text: string, fakes: Fakes): string {
    const pattern = this.compiled();
    if (!pattern) return text;
    return text.replace(pattern, (found) => caseLike(found, this.replacement(found.toLowerCase(), fakes)));
  }

  private parts(parts: string[], firstIsGiven = true): void {
    parts.forEach((part, index) => this.learn(part, (fakes) => fakes.namePart(part, firstIsGiven && index === 0)));
  }

  private learn(needle: string, make: (fakes: Fakes) => string): void {
    const key = needle.toLowerCase();
    if (key.length < SHORTEST || this.makers.has(key)) return;
    this.makers.set(key, make);
    this.pattern = this.tester = undefined;
  }

  private compiled(): RegExp | undefined {
    if (this.makers.size === 0) return undefined;
    // Longest first, so a whole name is replaced before its parts.
    const needles = [...this.makers.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.pattern ??= new RegExp(needles.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
    return this.pattern;
  }

  private replacement(key: string, fakes: Fakes): string {
    let fake = this.replacements.get(key);
    if (fake === undefined) {
      fake = this.makers.get(key)?.(fakes) ?? key.replace(/./gu, 'x');
      this.replacements.set(key, fake);
    }
    return fake;
  }
}

function caseLike(found: string, fake: string): string {
  if (found === found.toLowerCase()) return fake.toLowerCase();
  if (found === found.toUpperCase()) return fake.toUpperCase();
  return fake;
}
