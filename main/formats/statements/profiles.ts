// Saved layouts of Chinese bank and payment exports. A column is named by its header text (with
// alternatives banks use for the same thing) or by its 0-based position; a custom mapping built in the
// console's preview has the same shape as a shipped profile.

/** Header name, alternative header names, or a 0-based column index. */
export type ColumnRef = string | number | readonly string[];

export type AmountRule =
  /** one column, money in positive ("-25.03", "+1,000.00") */
  | { kind: 'signed'; amount: ColumnRef }
  /** separate 收入 and 支出 columns, both positive */
  | { kind: 'in_out'; in: ColumnRef; out: ColumnRef }
  /** 借方 and 贷方 columns of the platform's own account: 贷方 (credit) is money in, 借方 money out */
  | { kind: 'debit_credit'; debit: ColumnRef; credit: ColumnRef }
  /** an amount column and a 收/支 column; rows whose direction is listed in `ignore` are left out */
  | {
      kind: 'direction';
      amount: ColumnRef;
      direction: ColumnRef;
      in: readonly string[];
      out: readonly string[];
      ignore?: readonly string[];
    };

export interface ColumnMapping {
  /** line (CSV) or row number (worksheet) of the header; found by scoring rows against known header names when absent */
  headerRow?: number | null;
  /** booked date; the cell may carry the time too ("2024-03-01 10:21:33") */
  date: ColumnRef;
  time?: ColumnRef;
  valueDate?: ColumnRef;
  /** order of day, month and year when the year does not come first; default 'ymd' */
  dateOrder?: 'ymd' | 'dmy' | 'mdy';
  amount: AmountRule;
  balance?: ColumnRef;
  currency?: ColumnRef;
  /** currency when the file has no currency column; default CNY */
  defaultCurrency?: string;
  /** the statement's own account number, when the export has it in a column */
  account?: ColumnRef;
  counterpartyName?: ColumnRef;
  counterpartyAccount?: ColumnRef;
  /** name and account in one cell ("张三/6222 0000 1234 5678"): split into name and account */
  counterparty?: ColumnRef;
  reference?: ColumnRef;
  /** joined with " | " in this order, empty cells left out */
  memo?: readonly ColumnRef[];
  bankRef?: ColumnRef;
  /** a row is a reversal (冲正) when one of these columns contains one of the words; its amount is taken as printed */
  reversal?: { columns: readonly ColumnRef[]; words: readonly string[] };
  /** rows left out, e.g. Alipay's 交易关闭 (no money moved) */
  skip?: { column: ColumnRef; values: readonly string[] };
}

export interface Profile {
  id: string;
  name: string;
  mapping: ColumnMapping;
}

export const REVERSAL_WORDS = ['冲正', '冲账', '抹账'];

/**
 * A bank's own export: one signed amount column, and a reversal (冲正) told by its words in the
 * `reversalIn` columns (the 摘要 unless named).
 */
function bankExport(
  id: string,
  name: string,
  {
    amount,
    reversalIn = ['摘要'],
    ...mapping
  }: Omit<ColumnMapping, 'amount' | 'reversal'> & { amount: ColumnRef; reversalIn?: ColumnRef[] },
): Profile {
  return {
    id,
    name,
    mapping: { ...mapping, amount: { kind: 'signed', amount }, reversal: { columns: reversalIn, words: REVERSAL_WORDS } },
  };
}

export const PROFILES: readonly Profile[] = [
  bankExport('icbc', '工商银行 ICBC', {
    date: '交易日期',
    account: ['帐号', '账号'],
    currency: '币种',
    amount: ['收入/支出金额', '收入/支出'],
    balance: '余额',
    counterpartyName: ['对方户名', '对方账户名'],
    counterpartyAccount: ['对方帐号', '对方账号'],
    memo: ['摘要', '渠道'],
  }),
  bankExport('ccb', '建设银行 CCB', {
    date: '交易日期',
    currency: '币别',
    amount: '交易金额',
    balance: '账户余额',
    counterparty: ['对方账号与户名', '对方户名与账号'],
    memo: ['摘要', '交易地点/附言'],
  }),
  bankExport('boc', '中国银行 BOC', {
    date: '记账日期',
    time: '记账时间',
    currency: '币别',
    amount: '金额',
    balance: '余额',
    counterpartyName: '对方账户名',
    counterpartyAccount: ['对方卡号/账号', '对方账号'],
    memo: ['附言', '交易名称', '渠道'],
    reversalIn: ['交易名称', '附言'],
  }),
  bankExport('cmbc', '民生银行 CMBC', {
    date: '交易时间',
    amount: '交易金额',
    balance: '账户余额',
    counterparty: ['对方户名/账号', '对方账号/户名'],
    memo: ['摘要', '交易渠道'],
  }),
  {
    id: 'alipay',
    name: '支付宝 Alipay',
    mapping: {
      date: '交易时间',
      amount: {
        kind: 'direction',
        amount: ['金额', '金额(元)'],
        direction: '收/支',
        in: ['收入'],
        out: ['支出'],
        ignore: ['不计收支', '/', ''],
      },
      counterpartyName: '交易对方',
      counterpartyAccount: '对方账号',
      reference: '商家订单号',
      memo: ['商品说明', '备注'],
      bankRef: '交易订单号',
      skip: { column: '交易状态', values: ['交易关闭'] },
    },
  },
  {
    id: 'wechat',
    name: '微信支付 WeChat Pay',
    mapping: {
      date: '交易时间',
      amount: { kind: 'direction', amount: ['金额(元)', '金额'], direction: '收/支', in: ['收入'], out: ['支出'], ignore: ['/', ''] },
      counterpartyName: '交易对方',
      reference: '商户单号',
      memo: ['商品', '交易类型', '备注'],
      bankRef: '交易单号',
    },
  },
  {
    id: 'corporate',
    name: '企业网银（通用）Corporate e-banking',
    mapping: {
      date: ['交易日期', '交易日期/时间', '交易时间', '记账日期'],
      time: '交易时间',
      amount: {
        kind: 'debit_credit',
        debit: ['借方发生额(支出)', '借方发生额', '借方金额', '支出金额', '支出'],
        credit: ['贷方发生额(收入)', '贷方发生额', '贷方金额', '收入金额', '收入'],
      },
      balance: ['余额', '账户余额'],
      currency: ['币种', '币别'],
      counterpartyName: ['对方户名', '对方账户名', '对方名称'],
      counterpartyAccount: ['对方账号', '对方帐号'],
      memo: ['摘要', '用途', '附言/备注', '附言', '备注'],
      bankRef: ['交易流水号', '流水号', '银行流水号'],
      reversal: { columns: ['摘要', '用途'], words: REVERSAL_WORDS },
    },
  },
];

export function profileById(id: string): Profile | undefined {
  return PROFILES.find((p) => p.id === id.toLowerCase());
}
