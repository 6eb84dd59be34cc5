// A member chain after `$`: `.name`, ``.`odd name` ``, `.1`, `[1]`.
const ACCESS = /^(?:\.(?:[A-Za-z_][\w]*|`[^`]*`|\d+)|\[[^\]]*\])*/;

/**
 * The arguments of `ifempty(a, b)` as written, when `text` is exactly such a call; undefined otherwise. Commas
 * inside quotes, backticks, brackets or nested calls do not split.
 */
function ifemptyAlternatives(text: string): [string, string] | undefined {
  const match = /^ifempty\((.*)\)$/s.exec(text.trim());
  if (!match) return undefined;
  const inner = match[1];
  let depth = 0;
  let quote: string | undefined;
  const commas: number[] = [];
  for (let i = 0; i < inner.length; i += 1) {
    const ch = inner[i];
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[') depth += 1;
    else if (ch === ')' || ch === ']') {
      depth -= 1;
      if (depth < 0) return undefined; // `ifempty(a)(b)`: the outer parentheses are not one call
    } else if (ch === ',' && depth === 0) commas.push(i);
  }
  return commas.length === 1 ? [inner.slice(0, commas[0]).trim(), inner.slice(commas[0] + 1).trim()] : undefined;
}

/**
 * A subject followed by a member chain. Make documents member access on variables, not on a function's result,
 * so a subject that is a fallback between two objects, `ifempty(a, b)`, takes the chain into each alternative:
 * `ifempty(a, b).id` is written `ifempty(a.id, b.id)`. Any other call stays as written, and validate refuses it.
 */
function withAccess(subject: string, access: string): string {
  if (access === '') return subject;
  const alternatives = ifemptyAlternatives(subject);
  if (!alternatives) return `${subject}${access}`;
  return `ifempty(${withAccess(alternatives[0], access)}, ${withAccess(alternatives[1], access)})`;
}

/**
 * Shared schema fragments describe "some payload object" as `$`; the property that references a fragment
 * binds `$` to a path with `x-iml-subject`. This substitutes it inside the `{{…}}` parts of a template.
 */
export function bindSubject(template: string, subject: string | undefined): { text: string; unbound: boolean } {
  let text = '';
  let unbound = false;
  let inExpression = false;
  let quote: string | undefined;
  for (let i = 0; i < template.length; i += 1) {
    const ch = template[i];
    if (!inExpression) {
      if (ch === '{' && template[i + 1] === '{') {
        inExpression = true;
        text += '{{';
        i += 1;
      } else {
        text += ch;
      }
      continue;
    }
    if (quote) {
      text += ch;
      if (ch === '\\' && i + 1 < template.length) text += template[++i];
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    if (ch === '}' && template[i + 1] === '}') {
      inExpression = false;
      text += '}}';
      i += 1;
      continue;
    }
    const standsAlone = ch === '$' && !/[A-Za-z0-9_$]/.test(template[i - 1] ?? '') && !/[A-Za-z0-9_$]/.test(template[i + 1] ?? '');
    if (standsAlone) {
      if (subject === undefined) unbound = true;
      const access = ACCESS.exec(template.slice(i + 1))?.[0] ?? '';
      text += subject === undefined ? '$' : withAccess(subject, access);
      i += subject === undefined ? 0 : access.length;
    } else {
      text += ch;
    }
  }
  return { text, unbound };
}

/** Binds a nested subject path (which may itself start from `$`) to the enclosing subject. */
export function bindSubjectPath(path: string, enclosing: string | undefined): { text: string; unbound: boolean } {
  const bound = bindSubject(`{{${path}}}`, enclosing);
  return { text: bound.text.slice(2, -2), unbound: bound.unbound };
}
