// Reversing a posted transfer (approvers): the reason is required; the server posts the mirror entry.
import { App as AntApp, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
import { useT } from '../../i18n';

export type TransferRow = Data<'ledger.transfers'>['rows'][number];

export function ReverseModal({
  transfer,
  onClose,
  onDone,
}: {
  transfer: TransferRow | null;
  onClose(): void;
  onDone(t: TransferRow): void;
}) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async ({ reason }: { reason: string }) => {
    if (!transfer) return;
    setBusy(true);
    try {
      const r = await call('ledger.reverse', { id: transfer.id, reason });
      void message.success(t('transfers.reversedOk', { id: transfer.id, newId: r.id }));
      form.resetFields();
      onDone(r);
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={transfer !== null}
      title={transfer ? t('transfers.reverseTitle', { id: transfer.id }) : ''}
      okText={t('transfers.reverse')}
      okButtonProps={{ danger: true, loading: busy, htmlType: 'submit', 'data-testid': 'reverse-confirm' }}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('transfers.reverseIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="reason"
          label={t('transfers.reason')}
          rules={[{ required: true, min: 2, message: t('transfers.reasonPlaceholder') }]}
        >
          <Input autoFocus placeholder={t('transfers.reasonPlaceholder')} maxLength={500} data-testid="reverse-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
