// A small non-validating XML reader for camt.053 and OFX 2: elements, attributes, text, CDATA and the
// five entities, with the line each element starts on. DOCTYPE is refused, so no entity expansion
// or external entity can ever be triggered by a statement file.
import { fail } from './types';

export interface XNode {
  name: string; // local name, namespace prefix dropped
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  line: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, line: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);?/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const v = ENTITIES[e];
    if (v === undefined) fail('unreadable', 'stmt_xml_entity', { entity: whole }, line);
    return v;
  });
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i >= 0 ? qname.slice(i + 1) : qname;
}

export function parseXml(text: string): XNode {
  const root: XNode = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const stack: XNode[] = [root];
  let pos = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };
  const top = () => stack[stack.length - 1] as XNode;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > pos) {
      const chunk = text.slice(pos, textEnd);
      if (stack.length === 1 && chunk.trim()) fail('unreadable', 'stmt_xml_outside', {}, line);
      top().text += decodeEntities(chunk, line);
      advance(textEnd);
    }
    if (lt < 0) break;
    const startLine = line;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail('truncated', 'stmt_xml_in_comment', {}, startLine);
      advance(end + 3);
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) fail('truncated', 'stmt_xml_in_cdata', {}, startLine);
      top().text += text.slice(lt + 9, end);
      advance(end + 3);
    } else if (text.startsWith('<!', lt)) {
      fail('unreadable', 'stmt_xml_doctype', {}, startLine);
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) fail('truncated', 'stmt_xml_in_pi', {}, startLine);
      advance(end + 2);
    } else {
      const end = findTagEnd(text, lt);
      if (end < 0) fail('truncated', 'stmt_xml_in_tag', {}, startLine);
      const raw = text.slice(lt + 1, end);
      advance(end + 1);
      if (raw.startsWith('/')) {
        const name = localName(raw.slice(1).trim());
        const open = top();
        if (stack.length === 1 || open.name !== name) {
          if (stack.length > 1)
            fail('unreadable', 'stmt_tag_mismatch_at', { tag: name, open: open.name, openLine: String(open.line) }, startLine);
          fail('unreadable', 'stmt_tag_mismatch', { tag: name, open: open.name }, startLine);
        }
        stack.pop();
      } else {
        const selfClosing = raw.endsWith('/');
        const body = selfClosing ? raw.slice(0, -1) : raw;
        const m = /^([^\s/>]+)/.exec(body);
        if (!m?.[1]) fail('unreadable', 'stmt_xml_nameless', {}, startLine);
        const node: XNode = { name: localName(m[1]), attrs: {}, children: [], text: '', line: startLine };
        for (const a of body.slice(m[1].length).matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
          node.attrs[localName(a[1] ?? '')] = decodeEntities(a[3] ?? a[4] ?? '', startLine);
        }
        if (stack.length === 1 && root.children.length) fail('unreadable', 'stmt_xml_second_root', {}, startLine);
        top().children.push(node);
        if (!selfClosing) stack.push(node);
      }
    }
  }
  if (stack.length > 1) {
    const open = top();
    fail('truncated', 'stmt_ends_inside', { element: open.name, openLine: String(open.line) }, line);
  }
  if (!root.children.length) fail('empty', 'stmt_xml_empty', {});
  return root.children[0] as XNode;
}

function findTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

export function child(node: XNode | null | undefined, name: string): XNode | null {
  return node?.children.find((c) => c.name === name) ?? null;
}

export function childrenNamed(node: XNode | null | undefined, name: string): XNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The node at a slash path ("Acct/Id/IBAN"), or null. */
export function at(node: XNode | null | undefined, path: string): XNode | null {
  let n: XNode | null = node ?? null;
  for (const part of path.split('/')) n = child(n, part);
  return n;
}

/** Trimmed text at a path, null when absent or empty. */
export function textAt(node: XNode | null | undefined, path: string): string | null {
  const t = at(node, path)?.text.trim();
  return t ? t : null;
}
