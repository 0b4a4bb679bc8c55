/** Text formatting of the experiment's console tables and report. */

/**
 * Lays out rows as aligned columns: the first row is the header, followed by a rule; the
 * first column is left-aligned, the others right-aligned; columns are 3 spaces apart.
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...rows.map((r) => (r[c] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    widths
      .map((w, c) => {
        const cell = row[c] ?? '';
        return c === 0 ? cell.padEnd(w) : cell.padStart(w);
      })
      .join('   ')
      .trimEnd();
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const total = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, columns - 1);
  return [line(header), '-'.repeat(total), ...body.map(line)].join('\n');
}

/** A share in [0, 1] as a percentage with one decimal: `0.9667` → `'96.7%'`; NaN → `'-'`. */
export function formatPercent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '-';
}

/** Milliseconds rounded to whole ms: `517.4` → `'517'`; NaN → `'-'`. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? String(Math.round(ms)) : '-';
}
