// 科目编码 科目名称 for the ledger's CNY accounts: the chart's lowest-level subjects, read once per screen.
import { Typography } from 'antd';
import { useMemo } from 'react';
import { type Data } from '../../api/coffer';
import { useQuietRead } from '../../hooks/useQuietRead';
import { useI18n } from '../../i18n';
import { accountName } from './ledgerOptions';

type Leaf = Data<'vouchers.accounts'>[number];

/** 科目名称 by 科目编码 in the console's language (null when the chart has no such subject). */
function useSubjectTitles(): (code: string | null) => string | null {
  const { lang } = useI18n();
  // Without names (a refusal) the accounts show as stored.
  const rows = useQuietRead('vouchers.accounts').data;
  const byCode = useMemo(() => new Map<string, Leaf>((rows ?? []).map((r) => [r.subjectCode, r])), [rows]);
  return (code) => {
    const s = code === null ? undefined : byCode.get(code);
    return s ? (lang === 'en' ? s.nameEn : s.name) : null;
  };
}

/** 科目编码 科目名称 of a subject, or null. */
export function useSubjectNames(): (code: string | null) => string | null {
  const title = useSubjectTitles();
  return (code) => {
    const name = title(code);
    return name === null ? null : `${code} ${name}`;
  };
}

/** An account on a transfer: 科目编码 科目名称 where it has a subject, else #id and its name. */
export function transferAccount(
  subject: (code: string | null) => string | null,
  t: Parameters<typeof accountName>[1],
  id: number,
  name: string,
  code: string,
  subjectCode: string | null,
): string {
  return subject(subjectCode) ?? `#${id} ${accountName(name, t, code)}`;
}

/** A CNY posting's voucher number, opening the voucher. */
export function VoucherLink({ r }: { r: { voucherId: number | null; voucherName: string | null } }) {
  if (r.voucherId === null || r.voucherName === null) return null;
  return (
    <Typography.Link href={`#/vouchers/v/${r.voucherId}`} style={{ whiteSpace: 'nowrap' }}>
      {r.voucherName}
    </Typography.Link>
  );
}
