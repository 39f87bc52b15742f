// A dialog holding one form (the counter-service forms, a reason for an action): the form is emptied
// (or set to `initial`) each time the dialog opens, Enter submits it, and the OK button waits for `submit`,
// which answers true when the dialog may close.
import { Form, Modal, type FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../i18n';

/** A modal holding one form; `submit` returns true when the dialog may close. */
export function FormModal<V extends object>({
  open,
  title,
  testId,
  okTestId,
  okText,
  onCancel,
  submit,
  children,
  initial,
  footerNote,
  intro,
  danger,
  width = 560,
  destroyOnHidden = true,
}: {
  open: boolean;
  title: string;
  testId: string;
  /** The OK button's test id: `${testId}-ok` unless given. */
  okTestId?: string;
  okText?: string;
  onCancel(): void;
  submit(v: V): Promise<boolean>;
  children: ReactNode;
  initial?: Parameters<FormInstance<V>['setFieldsValue']>[0];
  footerNote?: ReactNode;
  /** Above the form. */
  intro?: ReactNode;
  danger?: boolean;
  width?: number;
  destroyOnHidden?: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      form.resetFields();
      if (initial) form.setFieldsValue(initial);
    }
    // Only when the dialog opens.
  }, [open]);
  const finish = async (v: V) => {
    setBusy(true);
    try {
      if (await submit(v)) onCancel();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, danger, 'data-testid': okTestId ?? `${testId}-ok` }}
      destroyOnHidden={destroyOnHidden}
      forceRender
      width={width}
      data-testid={testId}
    >
      {intro}
      <Form<V> form={form} layout="vertical" onFinish={(v) => void finish(v)} requiredMark={false}>
        {children}
        <button type="submit" hidden />
      </Form>
      {footerNote}
    </Modal>
  );
}
