// The platform's own bank accounts (an admin adds one) with each account's statements and their
// continuity (opening = the previous closing, opening + lines = closing); a statement opens to its
// lines with what is matched and what is left.
import { Alert, App as AntApp, Button, Flex, Form, Input, Space, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ListToolbar, useListTools, type ListColumn } from '../../components/ListTools';
import { actionsColumn } from '../../components/columns';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { NO_ROWS, useInvalidate, useRead, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { DetailHeader } from '../../components/DetailHeader';
import { useT } from '../../i18n';
import { refusalText, type RefusalLike } from '../../i18n/refusal-text';
import { AccountNo, Counterparty, LineStatusTag, Yuan, fenText, memoColumn, remaining, type LineRow } from './shared';
import { CardTable, SmallTable } from '../../components/CardTable';
import { Person } from '../../components/Person';
import { Facts } from '../../components/Facts';
import { CellTag } from '../../components/CellTag';
import { FormModal } from '../../components/FormModal';

type Bank = Data<'bankAccounts.list'>[number];
/** What an import or a new bank account changes on the accounts tab. */
export const BANK_READS = ['bankAccounts.list', 'statements.list'] as const;
type Statement = Data<'statements.list'>[number] & {
  id: number;
  bankAccountId: number;
  fileName: string;
  format: string;
  profile: string | null;
  openingDate: string | null;
  openingAmount: number | null;
  closingDate: string | null;
  closingAmount: number | null;
  firstBooked: string | null;
  lastBooked: string | null;
  lines: number;
  newLines: number;
  duplicateLines: number;
  importedAt: number;
  importedBy: string | null;
  bankName: string;
  accountNumber: string;
};

export function ContinuityTag({ s }: { s: { continuityOk: boolean; continuity: RefusalLike[] } }) {
  const t = useT();
  if (s.continuityOk) return <CellTag color="green">{t('statement.continuous')}</CellTag>;
  return (
    <Tooltip
      title={
        <ul style={{ margin: 0, paddingInlineStart: 16 }}>
          {s.continuity.map((c, i) => (
            <li key={i}>{refusalText(t, c)}</li>
          ))}
        </ul>
      }
    >
      <CellTag color="red" data-testid="continuity-problem">
        {t('statement.problems', { n: s.continuity.length })}
      </CellTag>
    </Tooltip>
  );
}

export function BankAccounts({
  onOpenStatement,
  onReport,
}: {
  onOpenStatement(id: number): void;
  onReport(bankAccountId: number, statementId?: number): void;
}) {
  const t = useT();
  const { admin } = useCan();
  const banksRead = useRead('bankAccounts.list');
  const banks: Bank[] = banksRead.data ?? NO_ROWS;
  const [chosen, setSelected] = useState<number | null>(null);
  // The bank chosen while it is still listed, else the first.
  const selected = chosen !== null && banks.some((b) => b.id === chosen) ? chosen : (banks[0]?.id ?? null);
  const statementsRead = useRead('statements.list', { bankAccountId: selected ?? 0 }, { enabled: selected !== null });
  const statements = (selected === null ? NO_ROWS : (statementsRead.data ?? NO_ROWS)) as Statement[];
  const [adding, setAdding] = useState(false);
  const loading = banksRead.isFetching;
  const invalidate = useInvalidate();
  const load = () => invalidate(...BANK_READS);

  const bankColumns: TableColumnsType<Bank> = [
    { title: t('bankAccount.bank'), dataIndex: 'bankName', width: 200 },
    { title: t('bankAccount.number'), dataIndex: 'accountNumber', width: 230, render: (v: string) => <AccountNo value={v} /> },
    { title: t('bankAccount.name'), dataIndex: 'name' },
    { title: t('bankAccount.currency'), dataIndex: 'currency', width: 80 },
    {
      title: t('bankAccount.booksBalance'),
      dataIndex: 'balance',
      width: 170,
      align: 'right',
      render: (v: string) => <Yuan fen={v} strong />,
    },
    {
      title: t('common.actions'),
      key: 'a',
      width: 120,
      render: (_, b) => (
        <Button size="small" type="link" onClick={() => onReport(b.id)} data-testid={`bank-report-${b.id}`}>
          {t('report.open')}
        </Button>
      ),
    },
  ];

  const statementColumns: TableColumnsType<Statement> = [
    { title: '#', dataIndex: 'id', width: 60, align: 'right' },
    { title: t('statement.file'), dataIndex: 'fileName', ellipsis: true },
    {
      title: t('statement.period'),
      key: 'p',
      width: 200,
      render: (_, s) => `${s.firstBooked ?? s.openingDate ?? '—'} ~ ${s.lastBooked ?? s.closingDate ?? '—'}`,
    },
    // 连续性 beside the period: a gap must not hide under the fixed actions at 1280 wide.
    { title: t('statement.continuity'), key: 'cont', width: 100, render: (_, s) => <ContinuityTag s={s} /> },
    {
      title: t('statement.opening'),
      key: 'o',
      width: 130,
      align: 'right',
      render: (_, s) => (s.openingAmount === null ? '—' : <Yuan fen={s.openingAmount} />),
    },
    {
      title: t('statement.closing'),
      key: 'c',
      width: 130,
      align: 'right',
      render: (_, s) => (s.closingAmount === null ? '—' : <Yuan fen={s.closingAmount} />),
    },
    { title: t('statement.lines'), dataIndex: 'lines', width: 84, align: 'right' },
    { title: t('statement.newLines'), dataIndex: 'newLines', width: 70, align: 'right' },
    { title: t('statement.duplicates'), dataIndex: 'duplicateLines', width: 70, align: 'right' },
    { title: t('statement.importedAt'), dataIndex: 'importedAt', width: 160, render: (ms: number) => formatTime(ms) },
    { title: t('statement.importedBy'), dataIndex: 'importedBy', width: 90, render: (u: string | null) => <Person who={u} /> },
    actionsColumn(
      t('common.actions'),
      170,
      (s) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => onOpenStatement(s.id)} data-testid={`statement-lines-${s.id}`}>
            {t('statement.openLines')}
          </Button>
          <Button size="small" type="link" onClick={() => onReport(s.bankAccountId, s.id)}>
            {t('report.open')}
          </Button>
        </Space>
      ),
      { key: 'a' },
    ),
  ];

  return (
    <Flex vertical gap={12} data-testid="bank-accounts">
      <CardTable<Bank>
        title={t('bankAccount.title')}
        extra={
          <Space>
            {admin && (
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="bank-add">
                {t('bankAccount.add')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
        testId="bank-table"
        loading={loading}
        columns={bankColumns}
        dataSource={banks}
        rowSelection={{ type: 'radio', selectedRowKeys: selected === null ? [] : [selected], onChange: (k) => setSelected(Number(k[0])) }}
        onRow={(b) => ({ onClick: () => setSelected(b.id), style: { cursor: 'pointer' } })}
        locale={{ emptyText: admin ? t('bankAccount.noneAdmin') : t('bankAccount.none') }}
      />
      {selected !== null && (
        <CardTable<Statement>
          title={t('statement.listTitle', { bank: banks.find((b) => b.id === selected)?.bankName ?? '' })}
          testId="statement-table"
          columns={statementColumns}
          dataSource={statements}
          pagination={statements.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 1400 }}
          locale={{ emptyText: t('statement.none') }}
        />
      )}
      <AddBankModal open={adding} onClose={() => setAdding(false)} />
    </Flex>
  );
}

function AddBankModal({ open, onClose }: { open: boolean; onClose(changed: boolean): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const create = useWrite('bankAccounts.create', [...BANK_READS]);
  const req = (field: string) => [{ required: true, whitespace: true, message: t('setup.required', { field }) }];
  return (
    <FormModal<{ bankName: string; accountNumber: string; name: string }>
      open={open}
      title={t('bankAccount.add')}
      testId="bank-add-dialog"
      okTestId="bank-add-ok"
      width={520}
      destroyOnHidden={false}
      intro={<Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('bankAccount.addIntro')} />}
      onCancel={() => onClose(false)}
      submit={async (v) => {
        const r = await create.run({ bankName: v.bankName.trim(), accountNumber: v.accountNumber.trim(), name: v.name.trim() });
        if (r === undefined) return false;
        void message.success(t('bankAccount.added'));
        onClose(true);
        return false;
      }}
    >
      <Form.Item name="bankName" label={t('bankAccount.bank')} rules={req(t('bankAccount.bank'))}>
        <Input maxLength={100} placeholder={t('bankAccount.bankPlaceholder')} data-testid="bank-add-bank" />
      </Form.Item>
      <Form.Item name="accountNumber" label={t('bankAccount.number')} rules={req(t('bankAccount.number'))}>
        <Input maxLength={60} data-testid="bank-add-number" />
      </Form.Item>
      <Form.Item name="name" label={t('bankAccount.name')} rules={req(t('bankAccount.name'))}>
        <Input maxLength={100} placeholder={t('bankAccount.namePlaceholder')} data-testid="bank-add-name" />
      </Form.Item>
    </FormModal>
  );
}

const PAGE = 200;

/** One statement: its figures and its lines, each with what is matched and what is left. */
export function StatementPage({
  id,
  onBack,
  onReport,
}: {
  id: number;
  onBack(): void;
  onReport(bankAccountId: number, statementId: number): void;
}) {
  const t = useT();
  const s = ((useRead('statements.list').data ?? NO_ROWS) as Statement[]).find((x) => x.id === id) ?? null;
  // The lines a page at a time, each after the last line number shown; cached under statements.lines.
  const linesRead = useInfiniteQuery({
    queryKey: ['statements.lines', { statementId: id }, 'more'] as const,
    queryFn: ({ pageParam }) => call('statements.lines', { statementId: id, afterLineNo: pageParam, limit: PAGE }) as Promise<LineRow[]>,
    initialPageParam: 0,
    getNextPageParam: (last: LineRow[]) => (last.length === PAGE ? last[last.length - 1]!.lineNo : undefined),
  });
  const lines = useMemo(() => linesRead.data?.pages.flat() ?? NO_ROWS, [linesRead.data]);
  const more = linesRead.hasNextPage;
  const loading = linesRead.isFetching;

  const stateWords = Object.fromEntries(
    (['netted', 'reversalReview', 'reversalUnpaired', 'out', 'open', 'partly', 'matched'] as const).map((s) => [s, t(`line.status.${s}`)]),
  );
  const columns: ListColumn<LineRow>[] = [
    { key: 'lineNo', field: 'lineNo', kind: 'number', title: '#', dataIndex: 'lineNo', width: 55, align: 'right' },
    { key: 'b', field: 'booked', title: t('line.booked'), width: 150, render: (_, l) => `${l.booked}${l.time ? ` ${l.time}` : ''}` },
    {
      key: 'amount',
      field: 'amount',
      kind: 'money',
      title: t('line.amount'),
      dataIndex: 'amount',
      width: 140,
      align: 'right',
      render: (v: string) => <Yuan fen={v} signed />,
    },
    {
      key: 'allocated',
      field: 'allocated',
      kind: 'money',
      title: t('line.allocated'),
      dataIndex: 'allocated',
      width: 130,
      align: 'right',
      render: (v: string, l) => (Number(l.amount) > 0 ? <Yuan fen={v} /> : ''),
    },
    {
      title: t('line.remaining'),
      key: 'r',
      field: 'remaining',
      kind: 'money',
      width: 130,
      align: 'right',
      render: (_, l) => (Number(l.amount) > 0 ? <Yuan fen={remaining(l)} strong={remaining(l) > 0} /> : ''),
    },
    { title: t('line.status'), key: 's', field: 'state', labels: stateWords, width: 120, render: (_, l) => <LineStatusTag line={l} /> },
    {
      title: t('line.counterparty'),
      key: 'cp',
      field: 'counterpartyName',
      width: 250,
      render: (_, l) => <Counterparty line={l} />,
    },
    memoColumn(t),
    { key: 'bankRef', field: 'bankRef', title: t('line.bankRef'), dataIndex: 'bankRef', width: 170 },
  ];
  const tools = useListTools('bankLines', columns);

  const moneyIn = lines.reduce((a, l) => a + Math.max(0, Number(l.amount)), 0);
  const left = lines.reduce((a, l) => a + (Number(l.amount) > 0 ? remaining(l) : 0), 0);
  return (
    <Flex vertical gap={12} data-testid="statement-page">
      <DetailHeader
        onBack={onBack}
        backTestId="statement-back"
        title={t('statement.pageTitle', { id })}
        actions={
          <Space wrap>
            <ListToolbar
              tools={tools}
              method="statements.lines"
              filter={{ statementId: id }}
              filterText={s ? `${t('statement.bankAccount')} ${s.bankName} · ${s.accountNumber} · ${s.fileName}` : ''}
              title={t('lists.title.bankLines')}
            />
            {s && (
              <Button onClick={() => onReport(s.bankAccountId, s.id)} data-testid="statement-report">
                {t('report.open')}
              </Button>
            )}
          </Space>
        }
      >
        {s && <ContinuityTag s={s} />}
      </DetailHeader>
      {s && (
        <Facts
          column={4}
          items={[
            { key: 'bank', label: t('statement.bankAccount'), span: 2, children: `${s.bankName} · ${s.accountNumber}` },
            { key: 'file', label: t('statement.file'), span: 2, children: `${s.fileName} (${s.profile ?? s.format})` },
            {
              key: 'o',
              label: t('statement.opening'),
              children: s.openingAmount === null ? '—' : `${s.openingDate} · ${fenText(s.openingAmount)}`,
            },
            {
              key: 'c',
              label: t('statement.closing'),
              children: s.closingAmount === null ? '—' : `${s.closingDate} · ${fenText(s.closingAmount)}`,
            },
            {
              key: 'l',
              label: t('statement.lines'),
              children: `${s.lines}（${t('statement.newDup', { n: s.newLines, d: s.duplicateLines })}）`,
            },
            {
              key: 'left',
              label: t('statement.unallocatedShown'),
              children: (
                <Typography.Text strong type={left ? 'warning' : 'success'} data-testid="statement-left">
                  {fenText(left)} / {fenText(moneyIn)}
                </Typography.Text>
              ),
            },
            ...(s.continuity.length
              ? [
                  {
                    key: 'cont',
                    label: t('statement.continuity'),
                    span: 4,
                    children: (
                      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                        {s.continuity.map((c, i) => (
                          <li key={i}>{refusalText(t, c)}</li>
                        ))}
                      </ul>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <SmallTable<LineRow>
        testId="statement-lines"
        loading={loading}
        columns={tools.columns}
        summary={tools.summary}
        dataSource={lines}
        scroll={{ x: 1400 }}
      />
      {more && (
        <Button onClick={() => void linesRead.fetchNextPage()} loading={loading}>
          {t('statement.moreLines')}
        </Button>
      )}
    </Flex>
  );
}
