// Reading hledger's CSV reports (`-O csv`) in the tests that check Coffer's journal export with hledger.

/** hledger's CSV report as rows of cells. */
export function csv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split('","').map((c) => c.replaceAll('"', '')));
}

/** The amount beside the row whose first cell is `first`, without its ' CNY'. */
export const cell = (rows: string[][], first: string): string | undefined => rows.find((r) => r[0] === first)?.[1]?.replace(/\s*CNY$/, '');

/** Each section's total ('Assets' → '1475.00'): the first 'total' row after the section's heading. */
export function totals(rows: string[][]): Record<string, string> {
  const out: Record<string, string> = {};
  let section = '';
  for (const r of rows) {
    if (r[1] === '' && /^[A-Z]/.test(r[0]!) && r[0] !== 'Account') section = r[0]!;
    else if (r[0] === 'total' && section && !(section in out)) out[section] = (r[1] ?? '0').replace(/\s*CNY$/, '') || '0';
  }
  return out;
}
