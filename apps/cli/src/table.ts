/**
 * Columns as kubectl prints them: upper-case headers, each column as wide as its widest cell,
 * three spaces between columns, no trailing spaces.
 */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

export function formatRow(row: readonly string[], widths: readonly number[]): string {
  return row
    .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
    .join('')
    .trimEnd();
}

export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columnWidths([header, ...rows]);
  return [header, ...rows].map((r) => formatRow(r, widths)).join('\n');
}
