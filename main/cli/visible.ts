// Text from files and the books (counterparty names, memos, references, file names) goes to a
// terminal: a control character in it could move the cursor, clear the screen, ring the bell or turn
// the line around (ESC, BEL, U+202E). Every such character is shown as its escape (\u001b), so the
// text reads as it is and the terminal is never driven by data. The same \uXXXX form is a valid JSON
// escape, so JSON output stays JSON.

// C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, the line and paragraph
// separators, and lone surrogates (no character at all)
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// the same, but keeping the line breaks and tabs the CLI's own layout uses
const UNSAFE_IN_LAYOUT =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `text` with every control character made visible. A value from a file is escaped whole (its line
 * breaks too); `layout: true` is for the CLI's own output, whose line breaks and tabs are kept.
 */
export function visible(text: string, o: { layout?: boolean } = {}): string {
  return text.replace(o.layout ? UNSAFE_IN_LAYOUT : UNSAFE, escape);
}
