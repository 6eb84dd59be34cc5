import { readFileSync } from 'node:fs';

/** One shell command of the README: its environment prefix and its words (quotes removed). */
export interface ReadmeCommand {
  /** The command as written (continuations joined, comment dropped), to name it in a failure. */
  text: string;
  env: Record<string, string>;
  words: string[];
  /** The words before a `|`, when the command reads from a pipe (`cat payload.json | …`). */
  piped?: string[];
}

/** A ```sh block that is a script (assignments from commands, loops): run or listed as a whole. */
export interface ReadmeScript {
  script: string;
}

/** Splits one command line into shell words: single and double quotes, backslash escapes, `|` on its own. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      let j = i + 1;
      let text = '';
      for (; line[j] !== '"'; j += 1) text += line[j] === '\\' ? line[++j] : line[j];
      word = (word ?? '') + text;
      i = j;
    } else if (char === '\\') {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(char) || char === '|') {
      if (word !== undefined) words.push(word);
      word = undefined;
      if (char === '|') words.push('|');
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The line without its comment: a `#` after white space, outside quotes. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

function command(text: string): ReadmeCommand {
  const all = shellWords(text);
  const pipe = all.lastIndexOf('|');
  const piped = pipe >= 0 ? all.slice(0, pipe) : undefined;
  const words = all.slice(pipe + 1);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name] = value.join('=');
  }
  return { text, env, words, ...(piped ? { piped } : {}) };
}

/** Every ```sh block of a Markdown file, in order, as commands or whole scripts. */
export function readmeShell(file: string): Array<ReadmeCommand | ReadmeScript> {
  const markdown = readFileSync(file, 'utf8');
  const found: Array<ReadmeCommand | ReadmeScript> = [];
  for (const match of markdown.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)) {
    const indent = match[1].length;
    const lines = match[2].split('\n').map((line) => line.slice(indent));
    // Variables set from commands, or loops: the block only means something as a whole.
    if (lines.some((line) => /^\s*(while|for|if)\b|^[A-Z_]+=\$\(/.test(line))) {
      found.push({ script: lines.join('\n') });
      continue;
    }
    let pending = '';
    for (const raw of lines) {
      const line = withoutComment(raw);
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1)} `;
        continue;
      }
      const text = (pending + line).trim();
      pending = '';
      if (text) found.push(command(text.replace(/\s+/g, ' ')));
    }
  }
  return found;
}
