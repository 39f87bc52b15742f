// 待清理付款: money-out bank lines and what explains each. Open ones sit in 122101 待清理付款: a clerk
// classifies one to a leaf account (an approver who did not propose it approves, under 未分配收款's
// waiting list), or an approver books a chargeback whose coins were spent as 122102 退单应收款. A
// refund's payment is matched under Refunds, as before.
import { Alert, App as AntApp, Button, Empty, Flex, Form, Input, Segmented, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { call, type Data } from '../../api/coffer';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { showError } from '../../app/errors';
import { useCan } from '../../app/session';
import { ApproveReject } from '../../components/ApproveReject';
import { moneyColumn } from '../../components/columns';
import { lookup, useI18n, useT } from '../../i18n';
import { ReasonModal } from './dialogs';
import { fenText } from './shared';

type PayLine = Data<'moneyOut.list'>[number];
type Subject = Data<'moneyOut.accounts'>[number];
const STATES = ['open', 'proposed', 'classified', 'chargeback', 'refund', 'payout'] as const;
type State = (typeof STATES)[number] | 'all';
const STATE_COLOR: Record<string, string | undefined> = {
  open: 'orange',
  proposed: 'blue',
  classified: 'green',
  chargeback: 'purple',
  refund: 'cyan',
  payout: 'geekblue',
};

/**
 * The reason dialog of an action on a money-out line, worded by `action` (its title, button and note):
 * `input`, the action's one field, labelled `label` and the line's amount, above the reason.
 */
function LineActionModal({
  action,
  line,
  label,
  input,
  act,
  done,
  onClose,
}: {
  action: 'classify' | 'chargeback';
  line: PayLine | null;
  label: string;
  input: ReactNode;
  act(reason: string, line: PayLine): Promise<boolean>;
  done: string;
  onClose(): void;
}) {
  const t = useT();
  return (
    <ReasonModal<PayLine>
      target={line}
      title={t(`payments.${action}Title`)}
      okText={t(`payments.${action}`)}
      testId={`${action}-dialog`}
      note={() => t(`payments.${action}Intro`)}
      field={(l) => <Form.Item label={`${label} · ${fenText(l.amount)}`}>{input}</Form.Item>}
      act={act}
      done={done}
      onClose={onClose}
    />
  );
}

export function PaymentsTab() {
  const t = useT();
  const { lang } = useI18n();
  const { message } = AntApp.useApp();
  const { counter, approver, staffId } = useCan();
  const [state, setState] = useState<State>('open');
  const [classify, setClassify] = useState<PayLine | null>(null);
  const [subject, setSubject] = useState<string | undefined>();
  const [chargeback, setChargeback] = useState<PayLine | null>(null);
  const [receiptNo, setReceiptNo] = useState('');

  const rows: PayLine[] = useRead('moneyOut.list', state === 'all' ? {} : { state }).data ?? NO_ROWS;
  const subjects: Subject[] = useRead('moneyOut.accounts', {}).data ?? NO_ROWS;
  const decideAction = useWrite('bankLines.decideAction', ['moneyOut.list']);
  const proposeClassify = useWrite('moneyOut.proposeClassify', ['moneyOut.list']);
  const bookChargeback = useWrite('moneyOut.chargeback', ['moneyOut.list']);

  const subjectName = (code: string | null, zh: string | null, en: string | null) => (code ? `${code} ${lang === 'en' ? en : zh}` : '—');
  const columns: TableColumnsType<PayLine> = [
    { title: t('ageing.booked'), dataIndex: 'booked', width: 104 },
    { title: t('ageing.bankAccount'), dataIndex: 'bankAccount', width: 150, ellipsis: true },
    { title: t('ageing.counterparty'), dataIndex: 'counterpartyName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('payments.memo'), dataIndex: 'memo', ellipsis: true, render: (v: string | null) => v ?? '—' },
    moneyColumn('amount', t('payments.amount'), 120, { strong: true }),
    {
      title: t('payments.state'),
      dataIndex: 'state',
      width: 110,
      render: (s: string) => <Tag color={STATE_COLOR[s]}>{lookup(t, `payments.state.${s}`, s)}</Tag>,
    },
    {
      title: t('payments.subject'),
      key: 'subject',
      width: 170,
      ellipsis: true,
      render: (_, l) =>
        l.actionKind === 'chargeback' ? `122102 · ${l.receiptNo ?? ''}` : subjectName(l.subjectCode, l.subjectName, l.subjectNameEn),
    },
    {
      title: t('ageing.actions'),
      key: 'actions',
      width: 170,
      render: (_, l) =>
        l.state === 'open' ? (
          <Space size={4}>
            <Button
              size="small"
              disabled={!counter}
              onClick={() => {
                setSubject(undefined);
                setClassify(l);
              }}
              data-testid={`payment-classify-${l.id}`}
            >
              {t('payments.classify')}
            </Button>
            <Button
              size="small"
              disabled={!approver}
              onClick={() => {
                setReceiptNo('');
                setChargeback(l);
              }}
              data-testid={`payment-chargeback-${l.id}`}
            >
              {t('payments.chargeback')}
            </Button>
          </Space>
        ) : l.state === 'proposed' && l.actionId !== null ? (
          <ApproveReject
            own={l.proposedById === staffId}
            ownText={t('ageing.ownProposal')}
            disabled={!approver}
            onApprove={() => void decide(l.actionId!, true)}
            onReject={() => void decide(l.actionId!, false)}
            words={[t('ageing.approve'), t('ageing.reject')]}
            testIds={[`payment-approve-${l.id}`, `payment-reject-${l.id}`]}
          />
        ) : null,
    },
  ];
  async function decide(actionId: number, approve: boolean) {
    if (await decideAction.run({ actionId, approve })) void message.success(approve ? t('ageing.approved') : t('ageing.rejected'));
  }

  return (
    <Flex vertical gap={12} data-testid="payments-tab">
      <Alert type="info" showIcon title={t('payments.intro')} />
      <Segmented<State>
        value={state}
        onChange={setState}
        options={[
          ...STATES.map((s) => ({ value: s, label: t(`payments.state.${s}`) })),
          { value: 'all' as const, label: t('payments.filterAll') },
        ]}
        data-testid="payments-filter"
      />
      <Table<PayLine>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Empty description={t('payments.empty')} /> }}
        data-testid="payments-lines"
      />
      <LineActionModal
        action="classify"
        line={classify}
        label={t('payments.subject')}
        input={
          <Select<string>
            showSearch
            value={subject}
            onChange={setSubject}
            optionFilterProp="label"
            options={subjects.map((s) => ({ value: s.code, label: `${s.code} ${lang === 'en' ? s.nameEn : s.name}` }))}
            data-testid="classify-subject"
          />
        }
        act={async (reason, l) => {
          if (!subject) {
            void message.warning(t('payments.subjectNeeded'));
            return false;
          }
          return (await proposeClassify.run({ lineId: l.id, subjectCode: subject, reason })) !== undefined;
        }}
        done={t('payments.classifyProposed')}
        onClose={() => setClassify(null)}
      />
      <LineActionModal
        action="chargeback"
        line={chargeback}
        label={t('payments.receiptNo')}
        input={
          <Tooltip title="CZ2026-000123">
            <Input
              value={receiptNo}
              onChange={(e) => setReceiptNo(e.target.value)}
              style={{ width: 220 }}
              data-testid="chargeback-receipt"
            />
          </Tooltip>
        }
        act={async (reason, l) => {
          const wanted = receiptNo.trim().toUpperCase();
          let found;
          try {
            found = (await call('records.list', { text: wanted, limit: 5 })).rows.find((r) => r.receiptNo === wanted);
          } catch (e) {
            showError(message, e, t);
            return false;
          }
          if (!found) {
            void message.warning(t('payments.receiptNotFound', { receiptNo: wanted }));
            return false;
          }
          return (await bookChargeback.run({ lineId: l.id, recordId: found.id, reason })) !== undefined;
        }}
        done={t('payments.chargebackBooked')}
        onClose={() => setChargeback(null)}
      />
    </Flex>
  );
}
