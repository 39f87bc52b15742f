// Vouchers (记账凭证) from the command line: the list of a month, preparing a manual voucher from a JSON
// file, and reviewing one by its name. Every call goes through the API dispatcher, so the same schemas,
// roles and four-eyes rule apply as at the console.
import fs from 'node:fs';
import { formatYuan, parseYuan } from '../domain/money';
import type { VoucherDetail, VoucherOut } from '../services/vouchers';
import { AS, DB, READ_NOTE, out, reader, writer, withApi, type Command } from './kit';
import { UsageError, required } from './usage';
import { refuse } from '../domain/refusals';

const STATUS_TEXT: Record<string, string> = { draft: 'draft (待审核)', posted: 'posted (已记账)', voided: 'voided (已作废)' };
const yuan = (fen: string) => formatYuan(Number(fen));

/** The file's voucher in the API's shape: yuan strings become fen, `account` a 科目编码. */
function voucherFromFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw refuse('NOT_FOUND', 'voucher_file_missing', { file }, { path: file });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw refuse('VALIDATION', 'voucher_file_not_json', { file, detail: (e as Error).message }, { path: file });
  }
  const bad = (where: string, what: string) =>
    refuse('VALIDATION', 'voucher_file_bad', { file, where, what }, { path: file, field: where });
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad('(top)', 'a JSON object {date, word?, attachments?, lines}');
  const { date, word, attachments, lines, ...rest } = doc as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra) throw bad(extra, 'unknown field (date, word, attachments, lines)');
  if (!Array.isArray(lines)) throw bad('lines', 'a list of lines {summary, account, debit | credit}');
  const amount = (where: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw bad(where, 'an amount in yuan as a string, e.g. "25.00"');
    try {
      const fen = parseYuan(v);
      if (fen < 0) throw new RangeError('negative');
      return String(fen);
    } catch {
      throw bad(where, `"${v}" is not an amount in yuan (e.g. "25.00")`);
    }
  };
  return {
    date,
    ...(word !== undefined ? { word } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
    lines: lines.map((l: unknown, i: number) => {
      const where = `lines[${i}]`;
      if (!l || typeof l !== 'object' || Array.isArray(l)) throw bad(where, 'an object {summary, account, debit | credit}');
      const { summary, account, debit, credit, ...more } = l as Record<string, unknown>;
      const unknown = Object.keys(more)[0];
      if (unknown) throw bad(`${where}.${unknown}`, 'unknown field (summary, account, debit, credit)');
      const d = amount(`${where}.debit`, debit);
      const c = amount(`${where}.credit`, credit);
      return {
        summary,
        subjectCode: account,
        ...(d !== undefined && d !== '0' ? { debit: d } : {}),
        ...(c !== undefined && c !== '0' ? { credit: c } : {}),
      };
    }),
  };
}

function voucherText(v: VoucherDetail): string {
  const rows = v.lines.map(
    (l) =>
      `  ${l.summary}  ${l.subjectCode ?? ''} ${l.subjectName ?? l.accountName}  ${l.debit !== '0' ? `借 ${yuan(l.debit)}` : `贷 ${yuan(l.credit)}`}`,
  );
  return `${v.name}  ${v.date}  ${STATUS_TEXT[v.status] ?? v.status}${v.reversesName ? `  red voucher of ${v.reversesName}` : ''}
${rows.join('\n')}
  合计 debit ${yuan(v.debitTotal)} = credit ${yuan(v.creditTotal)}; 附单据 ${v.attachments}; prepared by ${v.preparedBy ?? 'system'}${v.reviewedBy ? `, reviewed by ${v.reviewedBy}` : ''}
`;
}

function listJson(rows: VoucherOut[]) {
  return rows.map((v) => ({
    name: v.name,
    date: v.date,
    word: v.word,
    number: v.number,
    summary: v.summary,
    source: v.source,
    status: v.status,
    attachments: v.attachments,
    debit: yuan(v.debitTotal),
    credit: yuan(v.creditTotal),
    preparedBy: v.preparedBy,
    reviewedBy: v.reviewedBy,
    reverses: v.reversesName,
    reversedBy: v.reversedByName,
  }));
}

export const voucherCommands: Command[] = [
  {
    name: 'vouchers list',
    summary: 'the vouchers (记账凭证) of a month, with their totals, preparer, reviewer and state',
    options: { ...DB, ...AS, month: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer vouchers list --db FILE|URL [--month YYYY-MM] [--json] [--as USER < password]

Lists the vouchers of the month (all months without --month) in number order per 凭证字: date, name
(记-2026-11-0001), 摘要, debit and credit totals in yuan, preparer (制单), reviewer (审核) and state
(draft 待审核, posted 已记账, voided 已作废); automatic vouchers name their business action, red
vouchers the voucher they reverse. --json prints the same as a list of objects, amounts as "25.00".
${READ_NOTE}`,
    async run(v) {
      required('vouchers list', v, 'db');
      const month = v.month as string | undefined;
      if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
        throw new UsageError(`--month must be YYYY-MM, not "${month}"`, 'vouchers list');
      return withApi(await reader(v), async (api) => {
        const rows: VoucherOut[] = [];
        let beforeId: number | undefined;
        do {
          const page = await api.call('vouchers.list', {
            ...(month ? { period: month } : {}),
            ...(beforeId !== undefined ? { beforeId } : {}),
            limit: 500,
          });
          rows.push(...page.rows);
          beforeId = page.nextBeforeId ?? undefined;
        } while (beforeId !== undefined);
        rows.sort((a, b) => a.period.localeCompare(b.period) || a.word.localeCompare(b.word) || a.number - b.number);
        if (v.json) {
          out(JSON.stringify(listJson(rows), null, 2) + '\n');
          return 0;
        }
        if (!rows.length) {
          out(`No vouchers${month ? ` in ${month}` : ''}.\n`);
          return 0;
        }
        for (const r of rows)
          out(
            `${r.date}  ${r.name}  ${r.summary}  debit ${yuan(r.debitTotal)}  credit ${yuan(r.creditTotal)}  ${r.preparedBy ?? 'system'}  ${r.reviewedBy ?? '-'}  ${STATUS_TEXT[r.status] ?? r.status}${r.reversesName ? `  (red voucher of ${r.reversesName})` : ''}\n`,
          );
        out(`${rows.length} voucher(s).\n`);
        return 0;
      });
    },
  },
  {
    name: 'vouchers add',
    summary: 'prepare a manual voucher from a JSON file; another approver reviews it (clerk, approver)',
    options: { ...DB, ...AS, file: { type: 'string' } },
    help: `Usage: coffer vouchers add --db FILE|URL --file VOUCHER.json --as USER  < password

Prepares a manual voucher (a draft with the next gapless number of its month and 凭证字). The file:
  {"date": "2026-11-20", "word": "记", "attachments": 1,
   "lines": [{"summary": "银行手续费", "account": "660301", "debit": "25.00"},
             {"summary": "银行手续费", "account": "122101", "credit": "25.00"}]}
word (记 收 付 转, default 记) and attachments (附单据数) are optional; account is the lowest-level
科目编码; each line has a debit or a credit in yuan. The date must be in an open month; debits must
equal credits (the difference is named); nothing is written when anything is refused (exit 1).
Only clerks and approvers prepare; USER's password is the first line of standard input.`,
    async run(v) {
      required('vouchers add', v, 'db', 'file', 'as');
      const input = voucherFromFile(v.file as string);
      return withApi(await writer(v), async (api) => {
        const r = await api.send('vouchers.prepare', input);
        out(`Prepared ${r.name}: waits for review by another approver.\n${voucherText(r)}`);
        return 0;
      });
    },
  },
  {
    name: 'vouchers review',
    summary: 'review a voucher by its name: post it, or --reject to void it (approver, not its preparer)',
    options: { ...DB, ...AS, number: { type: 'string' }, reject: { type: 'boolean' }, note: { type: 'string' } },
    help: `Usage: coffer vouchers review --db FILE|URL --number 记-2026-11-0001 [--reject] [--note TEXT] --as USER  < password

Reviews (审核) the draft voucher named by --number. Approved, its lines post to the ledger on the
voucher's date (all of them or none); with --reject it is voided (作废) and keeps its number. Only an
approver who did not prepare the voucher reviews it (four eyes); a voucher is reviewed once; a month
closed since the voucher was prepared refuses the posting. USER's password is the first line of
standard input.`,
    async run(v) {
      required('vouchers review', v, 'db', 'number', 'as');
      return withApi(await writer(v), async (api) => {
        const r = await api.call('vouchers.review', {
          name: v.number as string,
          approve: !v.reject,
          ...(typeof v.note === 'string' && v.note.trim() ? { note: v.note } : {}),
        });
        out(`${r.name} ${r.status === 'posted' ? 'posted' : 'voided'} by ${v.as as string}.\n${voucherText(r)}`);
        return 0;
      });
    },
  },
];
