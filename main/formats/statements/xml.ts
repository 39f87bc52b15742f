// XML for camt.053 and OFX 2 through saxes, a maintained conforming streaming parser: elements,
// attributes, text, CDATA and character references, with the line each element starts on. DOCTYPE is
// refused as soon as it is seen (saxes never expands entities or fetches anything), and every
// well-formedness error becomes a coded refusal naming the line.
import { SaxesParser } from 'saxes';
import { fail } from './types';

export interface XNode {
  name: string; // local name, namespace prefix dropped
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  line: number;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i >= 0 ? qname.slice(i + 1) : qname;
}

export function parseXml(text: string): XNode {
  const root: XNode = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const stack: XNode[] = [root];
  const top = () => stack[stack.length - 1] as XNode;
  const parser = new SaxesParser({ position: true });
  /** What the parser has just read: the text up to its position, from the last `mark`. */
  const justRead = (mark: string) => text.slice(text.lastIndexOf(mark, parser.position - 1), parser.position);

  parser.on('doctype', () => fail('unreadable', 'stmt_xml_doctype', {}, parser.line));
  parser.on('opentag', (tag) => {
    const node: XNode = { name: localName(tag.name), attrs: {}, children: [], text: '', line: parser.line };
    for (const [k, v] of Object.entries(tag.attributes)) node.attrs[localName(k)] = typeof v === 'string' ? v : v.value;
    top().children.push(node);
    stack.push(node);
  });
  let lastClosed: XNode = root;
  parser.on('closetag', () => {
    lastClosed = stack.pop() ?? root;
  });
  parser.on('text', (t) => {
    if (stack.length > 1) top().text += t;
  });
  parser.on('cdata', (t) => {
    top().text += t;
  });
  parser.on('error', (e) => {
    const line = parser.line;
    const why = e.message.replace(/^\d+:\d+: /, '');
    if (why.startsWith('unexpected close tag') || why.startsWith('unmatched closing tag')) {
      // saxes has already closed the element it expected (lastClosed); the tag it read names the other.
      const closing = localName(/<\/\s*([^\s>]+)/.exec(justRead('</'))?.[1] ?? '?');
      if (lastClosed === root) fail('unreadable', 'stmt_tag_mismatch', { tag: closing, open: top().name }, line, closing);
      fail('unreadable', 'stmt_tag_mismatch_at', { tag: closing, open: lastClosed.name, openLine: String(lastClosed.line) }, line, closing);
    }
    if (why.includes('entity')) fail('unreadable', 'stmt_xml_entity', { entity: justRead('&').slice(0, 40) }, line);
    if (why.startsWith('text data outside of root')) fail('unreadable', 'stmt_xml_outside', {}, line);
    if (why.startsWith('documents may contain only one root')) fail('unreadable', 'stmt_xml_second_root', {}, line);
    if (why.startsWith('document must contain a root')) fail('empty', 'stmt_xml_empty', {});
    if (why.startsWith('unexpected end')) fail('truncated', 'stmt_xml_in_tag', {}, line);
    if (why.includes('attribute')) fail('unreadable', 'stmt_xml_attribute', {}, line);
    fail('unreadable', 'stmt_xml_malformed', {}, line);
  });

  // saxes reads an entity up to the next ';', wherever that is: an '&' that does not begin a reference
  // (`&amp B`) is refused here, on its own line.
  const loose = /&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
  if (loose) {
    const line = text.slice(0, loose.index).split('\n').length;
    fail('unreadable', 'stmt_xml_entity', { entity: text.slice(loose.index, loose.index + 12).split(/[\s<]/)[0] ?? '&' }, line);
  }
  parser.write(text);
  if (stack.length > 1) {
    const open = top();
    fail('truncated', 'stmt_ends_inside', { element: open.name, openLine: String(open.line) }, parser.line);
  }
  parser.close();
  if (!root.children.length) fail('empty', 'stmt_xml_empty', {});
  return root.children[0] as XNode;
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
