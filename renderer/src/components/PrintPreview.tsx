// A document about to be printed (a receipt, a month-end report) as it will print: its HTML in a frame
// that may only show (no scripts, no same origin), with Close and the button that saves it as PDF.
import { Button, Modal } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useT } from '../i18n';

export function PrintPreview({
  html,
  title,
  frameTitle,
  width,
  height,
  saveText,
  saving,
  onSave,
  onClose,
  frameTestId,
  saveTestId,
}: {
  /** The document; the dialog is closed while null. */
  html: string | null;
  title: string;
  frameTitle: string;
  width: number;
  /** The frame's height, e.g. '62vh'. */
  height: string;
  saveText: string;
  saving: boolean;
  onSave(): void;
  onClose(): void;
  frameTestId: string;
  saveTestId?: string;
}) {
  const t = useT();
  return (
    <Modal
      open={html !== null}
      title={title}
      width={width}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button key="save" type="primary" icon={<FilePdfOutlined />} loading={saving} onClick={onSave} data-testid={saveTestId}>
          {saveText}
        </Button>,
      ]}
    >
      {html !== null && (
        <iframe
          title={frameTitle}
          sandbox=""
          srcDoc={html}
          data-testid={frameTestId}
          style={{ width: '100%', height, border: '1px solid #f0f0f0', background: '#fff' }}
        />
      )}
    </Modal>
  );
}
