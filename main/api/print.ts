// A printable page leaving Coffer: a PDF through the print port (Electron's printToPDF in the console,
// Chromium in tests and the CLI's --pdf), or the page as HTML where there is no printer.
import { writeBytesAtomically } from '../formats/file-out';
import { chosenPath, type JobCtx } from './define';

export async function savePrintable(ctx: JobCtx, html: string, title: string, baseName: string) {
  const printer = ctx.api.ports.printer;
  const ext = printer ? 'pdf' : 'html';
  const target = await chosenPath(ctx, 'save', title, `${baseName}.${ext}`, [ext]);
  const bytes = printer ? await printer.htmlToPdf(html) : Buffer.from(html, 'utf8');
  return { ...(await writeBytesAtomically(target, bytes)), format: ext };
}
