// The per-item result of an approval: each request credited (with its receipt number and coins),
// waiting for a second approver, or refused with its reason. One refusal never stops the rest.
import { Space, Typography, type TableColumnsType } from 'antd';
import { ResultsCard } from '../../components/Queue';
import { useT } from '../../i18n';
import type { Outcome, QueueRow } from './ApprovalsScreen';
import { refusalText } from '../../i18n/refusal-text';
import { CoinsWithBonus, Yuan } from './common';

export function ApprovalResults({ outcomes, seen, onClose }: { outcomes: Outcome[]; seen: Map<number, QueueRow>; onClose(): void }) {
  const t = useT();
  const columns: TableColumnsType<Outcome> = [
    { title: t('appr.request'), dataIndex: 'requestNo', width: 200 },
    {
      title: t('appr.customer'),
      key: 'customer',
      width: 200,
      ellipsis: true,
      render: (_, o) => seen.get(o.id)?.customerName ?? '',
    },
    {
      title: t('appr.amount'),
      key: 'amount',
      width: 130,
      align: 'right',
      render: (_, o) => {
        const r = seen.get(o.id);
        return r ? <Yuan fen={r.amount} /> : '';
      },
    },
  ];
  const detail = (o: Outcome) => {
    if (o.outcome === 'credited')
      return (
        <Space size={12}>
          <Typography.Link href={`#/records/q/${encodeURIComponent(o.receiptNo)}`} data-testid={`result-receipt-${o.id}`}>
            {o.receiptNo}
          </Typography.Link>
          <CoinsWithBonus paid={o.paidCoins} bonus={o.bonusCoins} />
          <Typography.Text type="secondary">{t('appr.coinsUnit')}</Typography.Text>
        </Space>
      );
    if (o.outcome === 'approved') return <Typography.Text>{refusalText(t, o)}</Typography.Text>;
    return (
      <Typography.Text strong data-testid={`result-refusal-${o.id}`} data-code={o.code}>
        {refusalText(t, o)}
      </Typography.Text>
    );
  };
  return (
    <ResultsCard<Outcome>
      testId="approval-results"
      title={t('appr.resultsTitle')}
      outcomes={[
        ['credited', 'green', t('appr.outcome.credited'), 'results-credited'],
        ['approved', 'blue', t('appr.outcome.waiting'), 'results-waiting'],
        ['refused', 'red', t('appr.outcome.refused'), 'results-refused'],
      ]}
      columns={columns}
      detailTitle={t('appr.resultDetail')}
      detail={detail}
      results={outcomes}
      onClose={onClose}
    />
  );
}
