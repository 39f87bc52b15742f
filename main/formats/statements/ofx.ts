// OFX 1.x (SGML: leaf elements are not closed) and 2.x (XML), bank and credit-card statements.
// OFX has no opening balance, so continuity is reported as not checked.
import { fitToCurrency, parsePlainDecimal } from './decimal';
import { checkContinuity, refuseDuplicateRefs } from './continuity';
import { isoDate, isoTime } from './dates';
import { decodeText } from './text';
import { fail, type Statement, type StatementLine } from './types';
import { refusal } from '../../domain/refusals';

interface ONode {
  name: string;
  text: string;
  children: ONode[];
  line: number;
  closed: boolean;
}

// The envelope around the statements; old exports (ofxparse's checking.ofx) leave these unclosed.
const ENVELOPE = new Set(['OFX', 'BANKMSGSRSV1', 'CREDITCARDMSGSRSV1', 'STMTTRNRS', 'CCSTMTTRNRS']);

export function decodeOfx(bytes: Buffer): string {
  const head = bytes.subarray(0, 600).toString('latin1');
  const charset = /CHARSET:\s*(\S+)/i.exec(head)?.[1] ?? /encoding="([^"]+)"/i.exec(head)?.[1] ?? '';
  const western = /^(1252|ISO-8859-1|USASCII|NONE|WINDOWS-1252)$/i.test(charset);
  return decodeText(bytes, western ? 'windows-1252' : 'gb18030').text;
}

function tree(text: string): ONode {
  const start = text.search(/<OFX>/i);
  if (start < 0) fail('wrong_format', 'stmt_ofx_none', {}, 1, 'OFX');
  let line = text.slice(0, start).split('\n').length;
  const root: ONode = { name: '#root', text: '', children: [], line: 1, closed: false };
  const stack: ONode[] = [root];
  const top = () => stack[stack.length - 1] as ONode;
  const isLeaf = (n: ONode) => n.children.length === 0 && n.text !== '';
  for (const m of text.slice(start).matchAll(/<(\/?)([A-Za-z0-9._]+)[^>]*>|([^<]+)/g)) {
    const [whole, slash, rawName, chunk] = m;
    if (chunk !== undefined) {
      const t = chunk.trim();
      if (t) {
        if (stack.length === 1) fail('unreadable', 'stmt_ofx_outside', { text: t.slice(0, 30) }, line);
        top().text += t;
      }
    } else {
      const name = (rawName ?? '').toUpperCase();
      if (slash) {
        while (top() !== root && top().name !== name && isLeaf(top())) stack.pop();
        if (top().name !== name) flattenEmptyElements(stack, name);
        if (top().name !== name) {
          if (top() === root) fail('unreadable', 'stmt_tag_mismatch', { tag: name, open: top().name }, line, name);
          fail('unreadable', 'stmt_tag_mismatch_at', { tag: name, open: top().name, openLine: String(top().line) }, line, name);
        }
        const done = stack.pop() as ONode;
        done.closed = true;
      } else {
        if (top() !== root && isLeaf(top())) stack.pop(); // SGML: a leaf ends where the next tag begins
        const node: ONode = { name, text: '', children: [], line, closed: false };
        top().children.push(node);
        stack.push(node);
      }
    }
    for (let i = 0; i < whole.length; i++) if (whole.charCodeAt(i) === 10) line++;
  }
  for (const open of stack.slice(1).reverse()) {
    if (!isLeaf(open) && !ENVELOPE.has(open.name))
      fail('truncated', 'stmt_ends_inside', { element: open.name, openLine: String(open.line) }, line, open.name);
  }
  return root;
}

/**
 * SGML OFX may leave an element empty (`<BALAMT><DTASOF></LEDGERBAL>`): the tags after it were read as
 * its children. When the element being closed lies below a chain of text-less nodes, each holding only
 * the next, they were empty siblings: they become its children again, and it can close.
 */
function flattenEmptyElements(stack: ONode[], name: string): void {
  const at = stack.findLastIndex((n) => n.name === name);
  if (at <= 0) return;
  const chain = stack.slice(at + 1);
  const last = chain[chain.length - 1];
  if (!chain.every((n) => n === last || (n.text === '' && n.children.length === 1))) return;
  const parent = stack[at]!;
  parent.children.pop(); // chain[0], its newest child
  for (const n of chain) {
    if (n !== last) n.children = [];
    parent.children.push(n);
  }
  stack.length = at + 1;
}

function find(node: ONode, name: string, out: ONode[] = []): ONode[] {
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    else find(c, name, out);
  }
  return out;
}

function get(node: ONode | null | undefined, path: string): ONode | null {
  let n: ONode | null = node ?? null;
  for (const part of path.split('/')) n = n?.children.find((c) => c.name === part) ?? null;
  return n;
}

function text(node: ONode | null | undefined, path: string): string | null {
  const t = get(node, path)?.text.trim();
  return t ? t : null;
}

/** OFX datetime: YYYYMMDD[HHMMSS[.XXX]][[±h:TZ]]; the date is taken as written, in the bank's zone. */
function ofxDate(node: ONode | null, field: string, owner: ONode): { date: string; time: string | null } {
  const raw = node?.text.trim() ?? '';
  if (!node || !raw) fail('missing_field', 'stmt_no_child', { element: owner.name, child: field }, owner.line, field);
  const m = /^(\d{4})(\d\d)(\d\d)(?:(\d\d)(\d\d)(\d\d)?(?:\.\d+)?)?(?:\s*\[[^\]]*\])?$/.exec(raw);
  const date = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (!m || !date) fail('bad_date', 'stmt_ofx_date', { value: raw }, node.line, field);
  const time = m[4] === undefined ? null : isoTime(Number(m[4]), Number(m[5]), Number(m[6] ?? '0'));
  if (m[4] !== undefined && !time) fail('bad_date', 'stmt_no_time', { value: raw }, node.line, field);
  return { date, time };
}

function amount(node: ONode | null, field: string, owner: ONode, currency: string | null): string {
  const raw = node?.text.trim() ?? '';
  if (!node || !raw) fail('missing_field', 'stmt_no_child', { element: owner.name, child: field }, owner.line, field);
  const v = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(raw) ? parsePlainDecimal(raw) : null;
  if (v === null) fail('bad_amount', 'stmt_ofx_amount', { value: raw }, node.line, field);
  return fitToCurrency(v, currency, node.line, field);
}

function statement(rs: ONode): Statement {
  const currency = text(rs, 'CURDEF');
  const from = get(rs, 'BANKACCTFROM') ?? get(rs, 'CCACCTFROM');
  const list = get(rs, 'BANKTRANLIST');
  const lines: StatementLine[] = (list?.children ?? [])
    .filter((c) => c.name === 'STMTTRN')
    .map((t) => {
      const amt = amount(get(t, 'TRNAMT'), 'TRNAMT', t, currency);
      const posted = ofxDate(get(t, 'DTPOSTED'), 'DTPOSTED', t);
      const avail = get(t, 'DTAVAIL');
      return {
        booked: posted.date,
        value: avail ? ofxDate(avail, 'DTAVAIL', t).date : null,
        amount: amt,
        counterparty: {
          name: text(t, 'NAME') ?? text(t, 'PAYEE/NAME'),
          account: text(t, 'BANKACCTTO/ACCTID') ?? text(t, 'CCACCTTO/ACCTID'),
        },
        reference: text(t, 'REFNUM'),
        memo: text(t, 'MEMO'),
        bank_ref: text(t, 'FITID'),
        time: posted.time,
        line: t.line,
      };
    });
  refuseDuplicateRefs(lines, 'FITID');
  const ledger = get(rs, 'LEDGERBAL');
  // Some banks' OFX 1.02 send <LEDGERBAL> with an empty <BALAMT> and <DTASOF>: the lines are still
  // whole, so they are read and the missing balance is reported, not the file refused.
  const empty = ledger !== null && !text(ledger, 'BALAMT') && !text(ledger, 'DTASOF');
  const closing =
    ledger && !empty
      ? { date: ofxDate(get(ledger, 'DTASOF'), 'DTASOF', ledger).date, amount: amount(get(ledger, 'BALAMT'), 'BALAMT', ledger, currency) }
      : null;
  const problems = empty ? [refusal('continuity_balance_empty', { element: '<LEDGERBAL>', line: String(ledger.line) })] : [];
  return {
    account: text(from, 'ACCTID'),
    currency,
    opening: null,
    closing,
    lines,
    continuity: checkContinuity(null, closing, lines, problems),
    format: 'ofx',
    profile: null,
    currencies: currency ? [{ currency: currency.toUpperCase(), line: get(rs, 'CURDEF')?.line ?? rs.line, field: 'CURDEF' }] : [],
  };
}

export function readOfx(bytes: Buffer): Statement[] {
  const root = tree(decodeOfx(bytes));
  const statements = [...find(root, 'STMTRS'), ...find(root, 'CCSTMTRS')];
  if (!statements.length) fail('empty', 'stmt_ofx_empty', {}, null, 'STMTRS');
  return statements.map(statement);
}
