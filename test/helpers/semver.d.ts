// semver ships no types of its own; these are the two functions the engines test uses
// (https://github.com/npm/node-semver#functions), declared here rather than adding @types/semver to every install.
declare module 'semver' {
  /** The lowest version that satisfies a range, or null when none can. */
  export function minVersion(range: string): { version: string } | null;
  /** Whether a version satisfies a range. */
  export function satisfies(version: string, range: string): boolean;
}
