import type { Problem } from './problems';
import { walkFields } from './walk-fields';
import { originOf } from './schema-resolver';
import type { AppDefinition, Parameter } from './types';

/**
 * Make's app-review conventions, reported as warnings (they do not block export, deploy or serve; `--strict`
 * makes them fail). Source: https://developers.make.com/custom-apps-documentation/best-practices/names-labels-and-descriptions
 * (module labels in Title Case, parameter hints) and the review prerequisites (labelled output, sample data).
 */
export const conventionRules: Array<(app: AppDefinition) => Problem[]> = [moduleLabelCase, parameterHelp, outputLabels];

// Chicago-style Title Case keeps articles, short prepositions and conjunctions lower case inside a label.
const MINOR_WORDS = new Set(['a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'so', 'yet', 'as', 'at', 'by', 'in', 'of', 'off', 'on', 'per', 'to', 'up', 'via', 'with', 'from', 'into', 'onto']);
// Fields a user does not fill in need no hint.
const UNHELPED_TYPES = new Set(['hidden', 'banner']);

/** The label in Make's Title Case ("Watch order paid" → "Watch Order Paid"). */
export function titleCase(label: string): string {
  const words = label.split(' ');
  return words
    .map((word, index) => {
      const inner = index > 0 && index < words.length - 1;
      if (inner && MINOR_WORDS.has(word.toLowerCase())) return word.toLowerCase();
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

function moduleLabelCase(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => {
    const expected = titleCase(module.label);
    if (expected === module.label) return [];
    return [{ severity: 'warning', file: module.files.module, pointer: '/label', module: module.name, message: `module label '${module.label}' is not in Title Case, as Make's review expects`, suggestion: `did you mean '${expected}'?` }];
  });
}

function parameterHelp(app: AppDefinition): Problem[] {
  const sharedValues = Object.values(app.sharedParameters);
  const check = (parameters: Parameter[], file: string, pointer: (index: number) => string, module?: string): Problem[] =>
    parameters.flatMap((parameter, index) =>
      // A module's shared parameters are checked once, in connector/parameters.json.
      parameter.help !== undefined || UNHELPED_TYPES.has(parameter.type) || (module && sharedValues.includes(parameter))
        ? []
        : [{ severity: 'warning' as const, file, pointer: pointer(index), module, message: `parameter '${parameter.name}' has no help text: Make's review expects a hint that says what to enter` }],
    );
  const shared = Object.entries(app.sharedParameters);
  return [
    ...check(app.connection.parameters, app.connection.file, (i) => `/parameters/${i}`),
    ...Object.values(app.webhooks).flatMap((webhook) => check(webhook.parameters, webhook.file, (i) => `/parameters/${i}`)),
    ...check(shared.map(([, parameter]) => parameter), app.manifest.components.parameters, (i) => `/${shared[i][0]}`),
    ...app.modules.flatMap((module) => check(module.parameters, module.files.module, (i) => `/parameters/${i}`, module.name)),
  ];
}

function outputLabels(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) =>
    walkFields(module.output, '', (field, pointer) => {
      if (pointer === '' || (typeof field.title === 'string' && field.title.trim() !== '')) return [];
      const place = originOf(field) ?? { file: module.files.output, pointer };
      return [{ severity: 'warning', file: place.file, pointer: place.pointer, module: module.name, message: 'output field has no label: give it a "title", which Make shows in the mapping panel' }];
    }),
  );
}
