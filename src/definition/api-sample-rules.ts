import { isDeepStrictEqual } from 'node:util';
import { definedRequests, jsonPointerKey, RecordedAnswer, sampleAnswers } from './api-requests';
import type { Problem } from './problems';
import { didYouMean } from './suggest';
import type { AppDefinition } from './types';

/**
 * The recorded API answers the sandbox serves: each entry of the api-samples file answers a request the connection
 * or an RPC makes (and each of those has one), and samples that resolve to the same request answer it alike.
 */
export function apiSampleProblems(app: AppDefinition): Problem[] {
  return [...recordedFileProblems(app), ...sampleConflicts(sampleAnswers(app))];
}

function recordedFileProblems(app: AppDefinition): Problem[] {
  if (!app.apiSamples) return [];
  const { file, answers } = app.apiSamples;
  const defined = definedRequests(app);
  const known = [...new Set(defined.map((request) => request.key))];
  const ofSamples = sampleAnswers(app);
  const problems: Problem[] = [];
  for (const key of Object.keys(answers)) {
    if (known.includes(key)) continue;
    const sample = ofSamples.find((entry) => entry.key === key);
    const message = sample
      ? `'${key}' is a module's request: its answer is the 'response' of ${sample.maker} (${sample.file}); record it there only`
      : `'${key}' is no request the connection or an RPC makes (they make: ${known.join(', ') || 'none'}); a key is the method and the path after the base URL, as the definition writes it`;
    const suggestion = sample ? undefined : didYouMean(key, known);
    problems.push({ file, pointer: jsonPointerKey(key), message, ...(suggestion ? { suggestion } : {}) });
  }
  for (const request of defined) {
    if (request.key in answers) continue;
    problems.push({ severity: 'warning', file: request.file, pointer: request.pointer, message: `${request.maker} (${request.key}) has no recorded answer in ${file}: the sandbox answers it 404` });
  }
  return problems;
}

function sampleConflicts(answers: RecordedAnswer[]): Problem[] {
  const first = new Map<string, RecordedAnswer>();
  const problems: Problem[] = [];
  for (const entry of answers) {
    const earlier = first.get(entry.key);
    if (!earlier) first.set(entry.key, entry);
    else if (!isDeepStrictEqual(earlier.answer, entry.answer)) {
      problems.push({
        file: entry.file,
        pointer: entry.pointer,
        module: entry.module,
        message: `answers ${entry.key} differently from ${earlier.maker} (${earlier.file}): the sandbox, like the API at one moment, has one answer per request; give one of the two samples an object id of its own`,
      });
    }
  }
  return problems;
}
