// The column mapping of a CSV/XLSX statement, built on the detected layout: which header holds the
// date, the amount (one signed column, separate in/out columns, debit/credit, or an amount with a
// 收/支 direction), the counterparty, the memo and the bank's reference. The sample rows below show
// what each column holds, and which field each mapped column becomes.
import { Flex, Form, Input, InputNumber, Radio, Select, Table, Typography } from 'antd';
import { useMemo } from 'react';
import type { Input as ApiInput } from '../../api/coffer';
import { useT, type MessageKey } from '../../i18n';
import { CellTag } from '../../components/CellTag';

export type Mapping = NonNullable<ApiInput<'statements.preview'>['mapping']>;
export type AmountKind = 'signed' | 'in_out' | 'debit_credit' | 'direction';

/** The editor's own state: columns by index into the headers (-1 = none). */
export interface MappingDraft {
  headerRow: number | null;
  date: number;
  time: number;
  amountKind: AmountKind;
  amount: number;
  in: number;
  out: number;
  direction: number;
  inWords: string;
  outWords: string;
  balance: number;
  counterpartyName: number;
  counterpartyAccount: number;
  counterparty: number;
  memo: number[];
  bankRef: number;
}

const GUESS: Partial<Record<keyof MappingDraft, RegExp>> = {
  date: /交易日期|记账日期|交易时间|日期|date/i,
  time: /^交易时间$|记账时间|^时间$/,
  amount: /交易金额|^金额|收入\/支出|amount/i,
  in: /贷方|收入/,
  out: /借方|支出/,
  direction: /收\/支|借贷|方向/,
  balance: /余额|balance/i,
  counterpartyName: /对方户名|对方账户名|对方名称|交易对方|付款人|户名/,
  counterpartyAccount: /对方账号|对方帐号|对方卡号|付款账号/,
  bankRef: /流水号|交易单号|交易订单号|凭证号|reference/i,
};

/** A first guess from the header names, for the accountant to correct. */
export function guessDraft(headers: string[], headerRow: number | null): MappingDraft {
  const find = (k: keyof MappingDraft, not: number[] = []) => {
    const re = GUESS[k];
    return re ? headers.findIndex((h, i) => re.test(h) && !not.includes(i)) : -1;
  };
  const date = find('date');
  const inCol = find('in');
  const outCol = find('out', [inCol]);
  const amount = find('amount');
  const direction = find('direction');
  const amountKind: AmountKind = inCol >= 0 && outCol >= 0 ? 'debit_credit' : direction >= 0 ? 'direction' : 'signed';
  return {
    headerRow,
    date,
    time: find('time', [date]),
    amountKind,
    amount,
    in: inCol,
    out: outCol,
    direction,
    inWords: '收入, 收, 贷',
    outWords: '支出, 支, 借',
    balance: find('balance'),
    counterpartyName: find('counterpartyName'),
    counterpartyAccount: find('counterpartyAccount'),
    counterparty: -1,
    memo: headers.map((h, i) => (/摘要|用途|附言|备注|说明|memo/i.test(h) ? i : -1)).filter((i) => i >= 0),
    bankRef: find('bankRef'),
  };
}

/** The draft as the API's ColumnMapping: a column by its header text when that is unique, else by position. */
export function toMapping(d: MappingDraft, headers: string[]): Mapping | string {
  const col = (i: number): string | number => {
    const h = headers[i] ?? '';
    return h && headers.indexOf(h) === headers.lastIndexOf(h) ? h : i;
  };
  const opt = (i: number) => (i >= 0 ? col(i) : undefined);
  if (d.date < 0) return 'mapping.need.date';
  const words = (s: string) =>
    s
      .split(/[,，\s]+/)
      .map((w) => w.trim())
      .filter(Boolean);
  let amount: Mapping['amount'];
  switch (d.amountKind) {
    case 'signed':
      if (d.amount < 0) return 'mapping.need.amount';
      amount = { kind: 'signed', amount: col(d.amount) };
      break;
    case 'in_out':
      if (d.in < 0 || d.out < 0) return 'mapping.need.inOut';
      amount = { kind: 'in_out', in: col(d.in), out: col(d.out) };
      break;
    case 'debit_credit':
      if (d.in < 0 || d.out < 0) return 'mapping.need.inOut';
      amount = { kind: 'debit_credit', debit: col(d.out), credit: col(d.in) };
      break;
    case 'direction':
      if (d.amount < 0 || d.direction < 0) return 'mapping.need.direction';
      amount = { kind: 'direction', amount: col(d.amount), direction: col(d.direction), in: words(d.inWords), out: words(d.outWords) };
      break;
  }
  const m: Mapping = { date: col(d.date), amount };
  if (d.headerRow) m.headerRow = d.headerRow;
  const set = <K extends keyof Mapping>(k: K, v: Mapping[K] | undefined) => {
    if (v !== undefined) m[k] = v;
  };
  set('time', opt(d.time));
  set('balance', opt(d.balance));
  set('counterpartyName', opt(d.counterpartyName));
  set('counterpartyAccount', opt(d.counterpartyAccount));
  set('counterparty', opt(d.counterparty));
  set('bankRef', opt(d.bankRef));
  if (d.memo.length) m.memo = d.memo.map(col);
  return m;
}

/** Which field each column index feeds (for the sample table's headers). */
function usage(d: MappingDraft): Map<number, MessageKey[]> {
  const u = new Map<number, MessageKey[]>();
  const add = (i: number, k: MessageKey) => i >= 0 && u.set(i, [...(u.get(i) ?? []), k]);
  add(d.date, 'mapping.date');
  add(d.time, 'mapping.time');
  if (d.amountKind === 'signed' || d.amountKind === 'direction') add(d.amount, 'mapping.amount');
  if (d.amountKind === 'direction') add(d.direction, 'mapping.direction');
  if (d.amountKind === 'in_out' || d.amountKind === 'debit_credit') {
    add(d.in, 'mapping.in');
    add(d.out, 'mapping.out');
  }
  add(d.balance, 'mapping.balance');
  add(d.counterpartyName, 'mapping.counterpartyName');
  add(d.counterpartyAccount, 'mapping.counterpartyAccount');
  add(d.counterparty, 'mapping.counterparty');
  for (const i of d.memo) add(i, 'mapping.memo');
  add(d.bankRef, 'mapping.bankRef');
  return u;
}

export function MappingEditor({
  headers,
  sampleRows,
  draft,
  onChange,
  readOnly,
}: {
  headers: string[];
  sampleRows: string[][];
  draft: MappingDraft;
  onChange(d: MappingDraft): void;
  /** Only the sample rows (a saved profile reads the file). */
  readOnly?: boolean;
}) {
  const t = useT();
  const options = headers.map((h, i) => ({ value: i, label: h ? `${h}` : t('mapping.columnN', { n: i + 1 }) }));
  const none = [{ value: -1, label: t('mapping.none') }, ...options];
  const set = (patch: Partial<MappingDraft>) => onChange({ ...draft, ...patch });
  const pick = (k: keyof MappingDraft, label: MessageKey, required = false) => (
    <Form.Item label={t(label)} required={required} style={{ marginBottom: 8 }}>
      <Select<number>
        value={draft[k] as number}
        onChange={(v) => set({ [k]: v })}
        options={required ? options : none}
        style={{ width: 200 }}
        data-testid={`mapping-${k}`}
        placeholder={t('mapping.pick')}
      />
    </Form.Item>
  );
  const used = useMemo(() => usage(draft), [draft]);
  const inLabel: MessageKey = draft.amountKind === 'debit_credit' ? 'mapping.credit' : 'mapping.in';
  const outLabel: MessageKey = draft.amountKind === 'debit_credit' ? 'mapping.debit' : 'mapping.out';
  return (
    <Flex vertical gap={8} data-testid="mapping-editor">
      {!readOnly && (
        <Form layout="vertical" requiredMark>
          <Flex gap={16} wrap>
            <Form.Item label={t('mapping.headerRow')} style={{ marginBottom: 8 }} extra={t('mapping.headerRowHint')}>
              <InputNumber<number>
                min={1}
                max={1000}
                value={draft.headerRow ?? undefined}
                onChange={(v) => set({ headerRow: v ?? null })}
                style={{ width: 120 }}
                data-testid="mapping-headerRow"
              />
            </Form.Item>
            {pick('date', 'mapping.date', true)}
            {pick('time', 'mapping.time')}
            <Form.Item label={t('mapping.amountRule')} style={{ marginBottom: 8 }}>
              <Radio.Group
                optionType="button"
                value={draft.amountKind}
                onChange={(e) => set({ amountKind: e.target.value as AmountKind })}
                options={(['signed', 'in_out', 'debit_credit', 'direction'] as const).map((k) => ({
                  value: k,
                  label: <span data-testid={`mapping-kind-${k}`}>{t(`mapping.kind.${k}`)}</span>,
                }))}
              />
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            {(draft.amountKind === 'signed' || draft.amountKind === 'direction') && pick('amount', 'mapping.amount', true)}
            {draft.amountKind === 'direction' && (
              <>
                {pick('direction', 'mapping.direction', true)}
                <Form.Item label={t('mapping.inWords')} style={{ marginBottom: 8 }}>
                  <Input value={draft.inWords} onChange={(e) => set({ inWords: e.target.value })} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item label={t('mapping.outWords')} style={{ marginBottom: 8 }}>
                  <Input value={draft.outWords} onChange={(e) => set({ outWords: e.target.value })} style={{ width: 140 }} />
                </Form.Item>
              </>
            )}
            {(draft.amountKind === 'in_out' || draft.amountKind === 'debit_credit') && (
              <>
                {pick('in', inLabel, true)}
                {pick('out', outLabel, true)}
              </>
            )}
            {pick('balance', 'mapping.balance')}
          </Flex>
          <Flex gap={16} wrap>
            {pick('counterpartyName', 'mapping.counterpartyName')}
            {pick('counterpartyAccount', 'mapping.counterpartyAccount')}
            {pick('counterparty', 'mapping.counterparty')}
            {pick('bankRef', 'mapping.bankRef')}
            <Form.Item label={t('mapping.memo')} style={{ marginBottom: 8 }} extra={t('mapping.memoHint')}>
              <Select<number[]>
                mode="multiple"
                value={draft.memo}
                onChange={(v) => set({ memo: v })}
                options={options}
                style={{ minWidth: 320 }}
                data-testid="mapping-memo"
              />
            </Form.Item>
          </Flex>
        </Form>
      )}
      <Typography.Text type="secondary">{t('mapping.sample', { n: sampleRows.length })}</Typography.Text>
      <Table<{ key: number; cells: string[] }>
        data-testid="mapping-sample"
        size="small"
        bordered
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={sampleRows.map((cells, key) => ({ key, cells }))}
        columns={headers.map((h, i) => ({
          key: i,
          title: (
            <Flex vertical gap={2}>
              <span>{h || t('mapping.columnN', { n: i + 1 })}</span>
              {(readOnly ? [] : (used.get(i) ?? [])).map((k) => (
                <CellTag key={k} color="blue" style={{ width: 'fit-content' }}>
                  {t(k)}
                </CellTag>
              ))}
            </Flex>
          ),
          render: (_: unknown, r: { cells: string[] }) => <span style={{ whiteSpace: 'nowrap' }}>{r.cells[i] ?? ''}</span>,
        }))}
      />
    </Flex>
  );
}
