// A document about to be printed (a receipt, a month-end report) as it will print: its HTML in a frame
// that may only show (no scripts, no same origin), with Close and the button that saves it as PDF.
// usePrintable is the logic behind it: read the HTML into the preview, and save through the print job
// (PDF, or HTML where there is no printer), saying where the file went.
import { App as AntApp, Button, Modal } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { showError } from '../app/errors';
import { useBusy } from '../hooks/useBusy';
import { useT } from '../i18n';
import { SavedFile } from './SavedFile';

/** What a print job answers (main/api/print.ts savePrintable): the file saved, PDF or, with no printer, HTML. */
export interface SavedPrint {
  format: string;
  path: string;
  bytes: number;
}

/**
 * One printable document: `openPreview` reads its HTML into `preview` (null while closed), `save` runs
 * its print job, closes the preview and shows the saved file under the title for its format.
 */
export function usePrintable({
  html,
  print,
  savedTitle,
  savedTestId,
}: {
  html: () => Promise<string>;
  print: () => Promise<SavedPrint>;
  savedTitle: { pdf: string; html: string };
  savedTestId: string;
}) {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const [preview, setPreview] = useState<string | null>(null);
  const [saving, runSave] = useBusy();
  const openPreview = async () => {
    try {
      setPreview(await html());
    } catch (e) {
      showError(message, e, t);
    }
  };
  const save = () =>
    runSave(async () => {
      const r = await print();
      setPreview(null);
      modal.success({ title: r.format === 'pdf' ? savedTitle.pdf : savedTitle.html, content: <SavedFile file={r} testId={savedTestId} /> });
    });
  return { preview, closePreview: () => setPreview(null), openPreview, save, saving };
}

export type Printable = ReturnType<typeof usePrintable>;

export function PrintPreview({
  printable,
  title,
  frameTitle,
  width,
  height,
  saveText,
  frameTestId,
  saveTestId,
}: {
  /** The document (usePrintable); the dialog is closed while its preview is null. */
  printable: Printable;
  title: string;
  frameTitle: string;
  width: number;
  /** The frame's height, e.g. '62vh'. */
  height: string;
  saveText: string;
  frameTestId: string;
  saveTestId?: string;
}) {
  const { preview: html, saving, save, closePreview: onClose } = printable;
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
        <Button key="save" type="primary" icon={<FilePdfOutlined />} loading={saving} onClick={() => void save()} data-testid={saveTestId}>
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
