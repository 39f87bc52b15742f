// The refund a reversal left payable: its state, and — while payable — the bank's money-out lines of
// exactly its amount, one of which staff at the counter match to it (then it is paid).
import { App as AntApp, Button, Card, Descriptions, Empty, Flex, Select, Tag } from 'antd';
import { useState } from 'react';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { useCounter } from '../../app/session';
import { formatTime } from '../../format/dates';
import { useT } from '../../i18n';
import { Yuan, yuan } from '../approvals/common';
import { useStaffNames } from '../../components/Person';

export function RefundCard({ recordId }: { recordId: number }) {
  const t = useT();
  const names = useStaffNames();
  const { message } = AntApp.useApp();
  const counter = useCounter();
  const [line, setLine] = useState<number | null>(null);
  const refund = (useRead('refunds.list', { recordId }).data ?? NO_ROWS)[0] ?? null;
  const candidates =
    useRead('refunds.candidates', { refundId: refund?.id ?? 0 }, { enabled: refund?.status === 'payable' }).data ?? NO_ROWS;
  const matchLine = useWrite('refunds.match', ['refunds.list', 'refunds.candidates']);
  const busy = matchLine.busy;

  if (!refund) return null;
  const match = async () => {
    if (line === null) return;
    if ((await matchLine.run({ refundId: refund.id, lineId: line })) === undefined) return;
    void message.success(t('refund.matched'));
    setLine(null);
  };

  return (
    <Card size="small" title={t('refund.title')} data-testid="record-refund">
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('refund.amount')}>
          <Yuan fen={refund.amount} />
        </Descriptions.Item>
        <Descriptions.Item label={t('refund.state')}>
          <Tag color={refund.status === 'paid' ? 'green' : 'gold'} data-testid="refund-status">
            {t(`refund.status.${refund.status}`)}
          </Tag>
        </Descriptions.Item>
        {refund.status === 'paid' && (
          <Descriptions.Item label={t('refund.paidBy')} span={2}>
            {t('refund.paidText', {
              line: String(refund.bankLineId),
              booked: refund.lineBooked ?? '',
              who: names.name(refund.matchedBy),
              at: refund.matchedAt ? formatTime(refund.matchedAt) : '',
            })}
          </Descriptions.Item>
        )}
      </Descriptions>
      {refund.status === 'payable' &&
        (candidates.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('refund.noLines')} />
        ) : (
          counter && (
            <Flex gap={8}>
              <Select<number>
                style={{ flex: 1 }}
                placeholder={t('refund.pickLine')}
                value={line ?? undefined}
                onChange={setLine}
                data-testid="refund-line"
                options={candidates.map((c) => ({
                  value: c.id,
                  label: `#${c.id} · ${c.booked} · ${yuan(c.amount)} · ${c.counterpartyName ?? ''} ${c.memo ?? ''}`.trim(),
                }))}
              />
              <Button type="primary" disabled={line === null} loading={busy} onClick={() => void match()} data-testid="refund-match">
                {t('refund.match')}
              </Button>
            </Flex>
          )
        ))}
    </Card>
  );
}
