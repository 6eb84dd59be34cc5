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
      text += subject ?? '$';
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
