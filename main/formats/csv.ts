// CSV out, safe to open in a spreadsheet: text that would start a formula is neutralised (OWASP),
// fields are quoted when needed, and lines end in CRLF.
const FORMULA_START = /^[=+\-@\t\r\n]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = neutralise(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}
