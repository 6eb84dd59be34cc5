import { ImlNode, visitNodes } from './ast';
import { CompiledDirective, directiveTemplates, templateExpressions } from './directive';
import { arityOf, documentedSignature, signatureOf } from './signatures';

/**
 * Keywords of custom-app IML: `true` and `false` from Make's IML page
 * (developers.make.com/custom-apps-documentation/block-elements/iml: `{{if(body.id > 100, body.user, false)}}`),
 * and `undefined`, `emptyarray` and `emptystring`, which Make's own IML grammar lists as keywords
 * (integromat/vscode-apps-sdk, syntaxes/iml/iml.tmLanguage, `moustache-keywords-alone`). `null` appears in
 * neither (only in scenario mapping, help.make.com), so an export must not rely on it.
 */
export const DOCUMENTED_KEYWORDS: ReadonlySet<string> = new Set(['true', 'false', 'undefined', 'emptyarray', 'emptystring']);

/**
 * Variables the custom-app docs list for some component: webhooks (body, headers, parameters, item), instant
 * triggers (payload, webhook), and the variables of every module, RPC and connection (now, environment, temp,
 * parameters, connection, common, data, scenario, metadata, output, iterate; body, headers, statusCode and
 * item in a response). Which component has which is checked on the export (export/component-variables.ts).
 */
export const DOCUMENTED_VARIABLES: ReadonlySet<string> = new Set([
  'body', 'headers', 'parameters', 'item', 'payload', 'webhook', 'now', 'environment', 'temp', 'connection',
  'common', 'data', 'scenario', 'metadata', 'output', 'iterate', 'statusCode',
]);

/** One thing in an expression that Make's custom-app docs do not support. */
export interface SignatureProblem {
  /** What the problem is about, so a caller can word or merge it with its own checks. */
  kind: 'arity' | 'keyword' | 'variable' | 'access';
  /** The function, keyword or variable as written. */
  name: string;
  message: string;
  /** For a call outside the documented arity: the signature Make documents. */
  documentedSignature?: string;
}

/**
 * Calls outside the documented argument counts, keywords or variables the app IML docs do not list, and member
 * access on a call or a parenthesised expression (Make's IML page shows members read from variables only).
 */
export function expressionProblems(expression: ImlNode): SignatureProblem[] {
  const problems: SignatureProblem[] = [];
  visitNodes(expression, (node) => {
    if (node.kind === 'call') {
      const signature = signatureOf(node.name);
      if (!signature) return; // unknown functions are reported by the caller, with what to do about them
      const { minArgs, maxArgs } = arityOf(signature);
      if (node.args.length >= minArgs && node.args.length <= maxArgs) return;
      const documented = documentedSignature(node.name, signature);
      problems.push({
        kind: 'arity',
        name: node.name,
        message: `${node.name}() is called with ${node.args.length} argument${node.args.length === 1 ? '' : 's'}, but Make documents ${documented} (${signature.page})`,
        documentedSignature: documented,
      });
    } else if (node.kind === 'literal' && node.keyword && !DOCUMENTED_KEYWORDS.has(node.keyword)) {
      problems.push({ kind: 'keyword', name: node.keyword, message: `'${node.keyword}' is a scenario-mapping keyword that Make's custom-app IML does not document (it has true, false, undefined, emptyarray and emptystring): build the value another way` });
    } else if ((node.kind === 'member' || node.kind === 'index') && node.onResult) {
      const access = node.kind === 'member' ? `.${node.property}` : '[…]';
      problems.push({
        kind: 'access',
        name: access,
        message: `'${access}' reads a member of a function's result or of a parenthesised expression, which Make's custom-app IML does not document (it reads members of variables: body.data.id): read the member inside, as in ifempty(a.id, b.id), or use get(value, 'id')`,
      });
    } else if (node.kind === 'variable' && !DOCUMENTED_VARIABLES.has(node.name)) {
      problems.push({ kind: 'variable', name: node.name, message: `'${node.name}' is not an IML variable Make documents for custom apps (known: ${[...DOCUMENTED_VARIABLES].join(', ')})` });
    }
  });
  return problems;
}

/** The problems of every template in a directive, with the JSON pointer of its string. */
export function directiveSignatureProblems(directive: CompiledDirective, pointer = ''): Array<SignatureProblem & { pointer: string }> {
  return directiveTemplates(directive, pointer).flatMap((found) =>
    templateExpressions(found.template).flatMap((expression) => expressionProblems(expression).map((problem) => ({ ...problem, pointer: found.pointer }))),
  );
}
