// What the voucher screens share: the row types, the status tag, amounts (red when negative) and the
// account as 科目编码 科目名称 in the console's language.
import { Tag } from 'antd';
import type { Data } from '../../api/coffer';
import { amountStyle } from '../../components/Amount';
import { formatYuan } from '../../../../main/domain/money';
import { useI18n, type TFunction } from '../../i18n';

export type VoucherRow = Data<'vouchers.list'>['rows'][number];
export type VoucherDetail = Data<'vouchers.get'>;
export type VoucherLine = VoucherDetail['lines'][number];
export type LeafAccount = Data<'vouchers.accounts'>[number];

export function StatusTag({ v }: { v: Pick<VoucherRow, 'status' | 'reversesId'> }) {
  const { t } = useI18n();
  const color = v.status === 'posted' ? 'green' : v.status === 'draft' ? 'gold' : 'default';
  return (
    <>
      <Tag color={color} style={{ marginInlineEnd: 4 }}>
        {t(`vouchers.status.${v.status}`)}
      </Tag>
      {v.reversesId !== null && <Tag color="red">{t('vouchers.red')}</Tag>}
    </>
  );
}

/** Fen (integer string, maybe negative) as yuan "1,288.00"; a negative amount in red (红字); zero blank. */
export function VoucherAmount({ fen, blankZero }: { fen: string; blankZero?: boolean }) {
  const n = Number(fen);
  if (blankZero && n === 0) return null;
  return <span style={{ ...amountStyle, color: n < 0 ? '#cf1322' : undefined }}>{formatYuan(n, true)}</span>;
}

/** 科目编码 科目名称, in the console's language. */
export function subjectText(
  l: { subjectCode: string | null; subjectName: string | null; subjectNameEn: string | null; accountName: string },
  lang: string,
): string {
  if (!l.subjectCode) return l.accountName;
  return `${l.subjectCode} ${(lang === 'en' ? l.subjectNameEn : l.subjectName) ?? l.accountName}`;
}

export function leafLabel(a: LeafAccount, lang: string): string {
  return `${a.subjectCode} ${lang === 'en' ? a.nameEn : a.name}`;
}

export function personText(name: string | null, t: TFunction): string {
  return name ?? t('vouchers.system');
}
