// Pieces the invoice screens share: status tags, the VAT rate as a percentage (from its integer ratio,
// no floats), and the check's per-field problems in the console's language. The books word problems
// in English for logs and the CLI; the screen rewrites the ones it knows and shows the rest as they are.
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Data } from '../../api/coffer';
import { TwoLines } from '../../components/TwoLines';
import { useT, type TFunction } from '../../i18n';
import { fieldLabel, problemText, type FieldProblem } from './texts';
import { CellTag } from '../../components/CellTag';

export type InvoiceStatus = 'issued' | 'partly_reversed' | 'reversed' | 'red';
export type RequestStatus = 'submitted' | 'checked' | 'issued' | 'rejected';
export type InvoiceType = 'ordinary' | 'special';
/** A queue row as invoices.requests returns it. */
export type RequestRow = Data<'invoices.requests'>['rows'][number];
export type { FieldProblem } from './texts';
export { fieldLabel, outcomeText, percentToRate, problemText, ratePercent } from './texts';

const INVOICE_COLOR: Record<InvoiceStatus, string> = { issued: 'blue', partly_reversed: 'orange', reversed: 'default', red: 'red' };
const REQUEST_COLOR: Record<RequestStatus, string> = { submitted: 'gold', checked: 'cyan', issued: 'green', rejected: 'red' };

function StatusTag({ color, words, testId }: { color: string; words: string; testId?: string }) {
  return (
    <CellTag color={color} data-testid={testId}>
      {words}
    </CellTag>
  );
}

export function InvoiceStatusTag({ status, testId }: { status: InvoiceStatus; testId?: string }) {
  const t = useT();
  return <StatusTag color={INVOICE_COLOR[status]} words={t(`inv.status.${status}`)} testId={testId} />;
}

export function RequestStatusTag({ status, testId }: { status: RequestStatus; testId?: string }) {
  const t = useT();
  return <StatusTag color={REQUEST_COLOR[status]} words={t(`invreq.status.${status}`)} testId={testId} />;
}

/** The buyer's name (cut to `maxWidth`, whole on hover) over `more`: the taxpayer ID, the invoice type. */
export function BuyerCell({ name, maxWidth, more }: { name: string; maxWidth: number; more: ReactNode }) {
  return (
    <TwoLines
      main={
        <Typography.Text ellipsis={{ tooltip: name }} style={{ maxWidth }}>
          {name}
        </Typography.Text>
      }
      sub={more}
      nowrap
    />
  );
}

export function invoiceTypeText(t: TFunction, type: InvoiceType): string {
  return t(`inv.type.${type}`);
}

/** The per-field problems of a check, one per line: the field in bold, then what is wrong. */
export function ProblemList({ problems, testId }: { problems: FieldProblem[]; testId?: string }) {
  const t = useT();
  return (
    <ul data-testid={testId} style={{ margin: 0, paddingInlineStart: 18 }}>
      {problems.map((p, i) => (
        <li key={i}>
          <Typography.Text strong>{fieldLabel(t, p.field)}</Typography.Text>
          <Typography.Text type="danger">：{problemText(t, p)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

export const INVOICE_STATUSES: InvoiceStatus[] = ['issued', 'partly_reversed', 'reversed', 'red'];
export const REQUEST_STATUSES: RequestStatus[] = ['submitted', 'checked', 'issued', 'rejected'];
