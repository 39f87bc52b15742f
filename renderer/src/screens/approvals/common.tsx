// Small pieces the approval, record, dashboard and report screens share: yuan and coin cells (integer
// strings in, grouped text out — BigInt, never floats), a yuan input turned into fen, and whether a
// key press belongs to a text box.
import { Typography } from 'antd';
import { formatCoins, formatYuan, parseYuan } from '../../../../main/domain/money';
import { lookup, useT, type TFunction } from '../../i18n';
import { CellTag } from '../../components/CellTag';

export const nums = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** "128800" → "1,288.00". */
export function yuan(fen: string | number | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '';
  return formatYuan(Number(fen), true);
}

/** "12880" → "12,880". */
export function coins(n: string | number | null | undefined): string {
  if (n === null || n === undefined || n === '') return '';
  return formatCoins(Number(n), true);
}

export function Yuan({ fen, strong }: { fen: string | number; strong?: boolean }) {
  return <span style={{ ...nums, fontWeight: strong ? 600 : undefined }}>{yuan(fen)}</span>;
}

export function Coins({ n, strong }: { n: string | number; strong?: boolean }) {
  return <span style={{ ...nums, fontWeight: strong ? 600 : undefined }}>{coins(n)}</span>;
}

/** Paid coins with the bonus beside them, never added together. */
export function CoinsWithBonus({ paid, bonus }: { paid: string | number; bonus: string | number }) {
  const t = useT();
  return (
    <span style={nums}>
      <Typography.Text strong>{coins(paid)}</Typography.Text>
      {Number(bonus) > 0 && (
        <Typography.Text type="success" style={{ marginInlineStart: 6 }}>
          {t('appr.bonusPlus', { n: coins(bonus) })}
        </Typography.Text>
      )}
    </span>
  );
}

/** What someone typed as yuan ("1,288.5") → fen as an integer string; null when empty or not an amount. */
export function yuanInputToFen(text: string | null | undefined): string | null {
  const s = (text ?? '').trim().replaceAll(',', '');
  if (!s) return null;
  try {
    const fen = parseYuan(s);
    return fen >= 0 ? String(fen) : null;
  } catch {
    return null;
  }
}

/** A typed yuan amount in the API's "1288.00" form, or null. */
export function yuanInputToApi(text: string | null | undefined): string | null {
  const fen = yuanInputToFen(text);
  return fen === null ? null : formatYuan(Number(fen));
}

export function channelText(t: TFunction, c: string): string {
  return lookup(t, `appr.channel.${c}`, c);
}

/** A rule version: 0 is the built-in default, any other number a confirmed setting change. */
export function RuleVersion({ v }: { v: number }) {
  const t = useT();
  return <CellTag>{v === 0 ? t('conv.versionDefault') : t('conv.versionN', { n: v })}</CellTag>;
}
