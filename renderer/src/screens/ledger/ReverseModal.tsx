// How a posting is undone. A posting is never reversed on its own (ledger.reverse refuses): a manual
// voucher's posting is corrected by a red voucher (a link to the voucher), any other by the business
// action that made it (the refusal's text, naming the action).
import { Alert, Button, Modal } from 'antd';
import type { Data } from '../../api/coffer';
import { useT } from '../../i18n';
import { refusalText } from '../../i18n/refusal-text';

export type TransferRow = Data<'ledger.transfers'>['rows'][number];

export function ReverseModal({ transfer, onClose }: { transfer: TransferRow | null; onClose(): void }) {
  const t = useT();
  const voucher = transfer?.undoAction === 'red_voucher' && transfer.voucherId !== null ? transfer : null;
  return (
    <Modal
      open={transfer !== null}
      title={transfer ? t('transfers.undoTitle', { id: transfer.id }) : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        voucher && (
          <Button
            key="open"
            type="primary"
            onClick={() => {
              onClose();
              location.hash = `#/vouchers/v/${voucher.voucherId}`;
            }}
            data-testid="undo-open-voucher"
          >
            {t('vouchers.openVoucher', { name: voucher.voucherName ?? '' })}
          </Button>
        ),
        <Button key="close" onClick={onClose} data-testid="undo-close">
          {t('common.close')}
        </Button>,
      ]}
    >
      {transfer && (
        <Alert
          type="info"
          showIcon
          data-testid="undo-text"
          title={
            voucher
              ? t('transfers.undoVoucher', { name: voucher.voucherName ?? '' })
              : refusalText(t, { code: 'undo_by_action', params: { transferId: String(transfer.id), action: transfer.undoAction } })
          }
        />
      )}
    </Modal>
  );
}
