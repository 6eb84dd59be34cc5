import type { Problem } from './problems';
import { walkFields } from './walk-fields';
import { originOf } from './schema-resolver';
import type { AppDefinition, Parameter } from './types';

/**
 * Make's app-review conventions, reported as warnings (they do not block export, deploy or serve; `--strict`
 * makes them fail). Module labels in sentence case: Make's naming page
 * (https://developers.make.com/custom-apps-documentation/best-practices/naming-conventions/modules/module-labels;
 * an older docs.make.com page asked for Title Case); parameter hints
 * (https://developers.make.com/custom-apps-documentation/best-practices/names-labels-and-descriptions); and the
 * review prerequisites (labelled output, sample data).
 */
export const conventionRules: Array<(app: AppDefinition) => Problem[]> = [moduleLabelCase, parameterHelp, outputLabels];

// Fields a user does not fill in need no hint.
const UNHELPED_TYPES = new Set(['hidden', 'banner']);

/**
 * A label in sentence case ("Watch One Time Sale" → "Watch one time sale"): capitalised words after the first
 * are lower-cased; names and acronyms that are not a capital and lower-case letters (Plug&Paid, SKU, ID) stay.
 */
export function sentenceCase(label: string): string {
  const [first, ...rest] = label.split(' ');
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest.map((word) => (/^[A-Z][a-z]+$/.test(word) ? word.toLowerCase() : word))].join(' ');
}

function moduleLabelCase(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => {
    const expected = sentenceCase(module.label);
    if (expected === module.label) return [];
    return [{ severity: 'warning', file: module.files.module, pointer: '/label', module: module.name, message: `module label '${module.label}' is not in sentence case, as Make's naming page asks (developers.make.com/custom-apps-documentation/best-practices/naming-conventions/modules/module-labels)`, suggestion: `did you mean '${expected}'?` }];
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
