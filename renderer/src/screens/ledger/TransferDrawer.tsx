// One transfer's details (ledger.transfer): both dates, its voucher, its accounts as 科目编码 科目名称, and
// how it is undone.
import { Button, Descriptions, Drawer, Tag, Typography } from 'antd';
import { useRead } from '../../api/queries';
import { Amount } from '../../components/Amount';
import { formatTime } from '../../format/dates';
import { useT } from '../../i18n';
import { ledgerName, transferCodeName } from './ledgerOptions';
import { Person } from '../../components/Person';
import { VoucherLink, transferAccount, useSubjectNames } from './subjects';
import type { TransferRow } from './ReverseModal';

export function TransferDrawer({
  id,
  canReverse,
  onClose,
  onReverse,
}: {
  id: number | null;
  canReverse: boolean;
  onClose(): void;
  onReverse(t: TransferRow): void;
}) {
  const t = useT();
  const subject = useSubjectNames();
  const tr = useRead('ledger.transfer', { id: id ?? 0 }, { enabled: id !== null }).data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={520}
      title={id !== null ? t('transfers.detailTitle', { id }) : ''}
      data-testid="transfer-drawer"
      extra={
        canReverse && tr && tr.reversedById === null && tr.reversesId === null && (tr.kind === 'single' || tr.kind === 'post') ? (
          <Button danger onClick={() => onReverse(tr)} data-testid="drawer-reverse">
            {t('transfers.reverse')}
          </Button>
        ) : null
      }
    >
      {tr && (
        <Descriptions
          column={1}
          bordered
          size="small"
          items={[
            { key: 'id', label: t('transfers.id'), children: tr.id },
            { key: 'date', label: t('transfers.businessDate'), children: tr.businessDate },
            { key: 'time', label: t('transfers.time'), children: formatTime(tr.ts) },
            ...(tr.voucherId !== null ? [{ key: 'voucher', label: t('transfers.voucher'), children: <VoucherLink r={tr} /> }] : []),
            { key: 'ledger', label: t('transfers.ledger'), children: ledgerName(tr.ledger, t) },
            { key: 'kind', label: t('transfers.kind'), children: t(`transfers.kind.${tr.kind}`) },
            { key: 'code', label: t('transfers.code'), children: transferCodeName(tr.code, t) },
            { key: 'key', label: t('transfers.key'), children: <Typography.Text copyable>{tr.key}</Typography.Text> },
            {
              key: 'debit',
              label: t('transfers.debit'),
              children: transferAccount(subject, t, tr.debitAccountId, tr.debitAccountName, tr.debitAccountCode, tr.debitSubjectCode),
            },
            {
              key: 'credit',
              label: t('transfers.credit'),
              children: transferAccount(subject, t, tr.creditAccountId, tr.creditAccountName, tr.creditAccountCode, tr.creditSubjectCode),
            },
            { key: 'amount', label: t('transfers.amount'), children: <Amount minor={tr.amount} ledger={tr.ledger} strong /> },
            { key: 'memo', label: t('transfers.memo'), children: tr.memo || t('common.none') },
            {
              key: 'status',
              label: t('transfers.status'),
              children: (
                <>
                  {tr.reversedById !== null && <Tag color="orange">{t('transfers.reversed', { id: tr.reversedById })}</Tag>}
                  {tr.reversesId !== null && <Tag color="purple">{t('transfers.reversal', { id: tr.reversesId })}</Tag>}
                  {tr.reversedById === null && tr.reversesId === null && t('common.none')}
                </>
              ),
            },
            { key: 'pending', label: t('transfers.pendingId'), children: tr.pendingId ?? t('common.none') },
            { key: 'chain', label: t('transfers.chainId'), children: tr.chainId ?? t('common.none') },
            { key: 'staff', label: t('transfers.staffId'), children: <Person who={tr.staffId} fallback={t('common.none')} /> },
          ]}
        />
      )}
    </Drawer>
  );
}
