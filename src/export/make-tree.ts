/** One exported file: its path relative to makecomapp.json, and its exact text. */
export type MakeTree = Map<string, string>;
