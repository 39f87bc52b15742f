// A dialog that only tells (an import's outcome, a file refused): its one button closes it.
import { Button, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

export function CloseModal({
  open,
  title,
  onClose,
  width = 640,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose(): void;
  width?: number;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Modal
      open={open}
      title={title}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      onCancel={onClose}
      width={width}
    >
      {children}
    </Modal>
  );
}
