import type { CliIo } from './io';

/** "1 bundle", "2 bundles". */
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A cell of a table: its text, and optionally the colour it is shown in on a terminal. */
export type Cell = string | { text: string; colour: Colour };

/** The colours the CLI uses: one meaning each. */
export type Colour = 'green' | 'red' | 'yellow' | 'dim';

const ANSI: Record<Colour, [string, string]> = { green: ['\u001b[32m', '\u001b[39m'], red: ['\u001b[31m', '\u001b[39m'], yellow: ['\u001b[33m', '\u001b[39m'], dim: ['\u001b[2m', '\u001b[22m'] };

/** Colours only a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function usesColour(io: CliIo): boolean {
  return io.stdoutIsTerminal === true && !io.env.NO_COLOR;
}

/** Paints text when `colour` is on. */
export function paint(text: string, colour: Colour, on: boolean): string {
  return on ? `${ANSI[colour][0]}${text}${ANSI[colour][1]}` : text;
}

const textOf = (cell: Cell) => (typeof cell === 'string' ? cell : cell.text);

/**
 * Rows as aligned columns separated by two spaces, the first row a header in capitals; the last column is not
 * padded, so a long value (a URL, an error) runs on without trailing blanks. Widths are measured before colouring.
 */
export function table(header: string[], rows: Cell[][], colour: boolean, indent = ''): string[] {
  const all: Cell[][] = [header.map((title) => title.toUpperCase()), ...rows];
  const widths = all.reduce<number[]>((max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, textOf(cell).length)), []);
  return all.map((row) =>
    `${indent}${row
      .map((cell, index) => {
        const text = index === row.length - 1 ? textOf(cell) : textOf(cell).padEnd(widths[index]);
        return typeof cell === 'string' ? text : paint(text, cell.colour, colour);
      })
      .join('  ')}`.trimEnd(),
  );
}
