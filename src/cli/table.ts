// Node. Plain-text tables for human CLI output: numeric columns right-aligned, text columns left-aligned.

/** Integers as they are, other numbers with three decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3)
}

const NUMBER = /^-?\d+(\.\d+)?$/

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  )
  const numeric = header.map((_, column) => rows.every((row) => NUMBER.test(row[column])))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}
