// A structured setting's value in full, as tables and fields instead of one line: the matching rules in
// order, the GL subject mapping, the conversion rule part by part, the invoice product field by field.
import { Descriptions, Typography } from 'antd';
import { SmallTable } from '../../components/CardTable';
import { useT } from '../../i18n';
import { ratePercent } from '../invoices/texts';
import { conditionsText, ruleName } from '../reconciliation/shared';
import { ruleSummary, subjectText, type MatchRule, type TextContext } from './setting-values';
import type { ConversionRule } from '../../../../main/domain/conversion';
import type { SubjectMapEntry } from '../../../../main/domain/gl-export';
import type { InvoiceProduct } from '../../../../main/domain/invoice-tax';
import { CellTag } from '../../components/CellTag';

/** The invoice product field by field (the unit too, when `withUnit` and it has one). */
export function InvoiceProductFacts({
  product: p,
  labelWidth,
  withUnit,
}: {
  product: InvoiceProduct;
  labelWidth: number;
  withUnit?: boolean;
}) {
  const t = useT();
  return (
    <Descriptions size="small" column={2} bordered styles={{ label: { width: labelWidth } }}>
      <Descriptions.Item label={t('invset.itemName')}>{p.itemName}</Descriptions.Item>
      <Descriptions.Item label={t('invset.taxCode')}>{p.taxCode}</Descriptions.Item>
      <Descriptions.Item label={t('invset.rate')}>{ratePercent(t, p.rate, p.notTaxable)}</Descriptions.Item>
      <Descriptions.Item label={t('invset.types')}>{p.ordinaryOnly ? t('invset.ordinaryOnly') : t('invset.bothTypes')}</Descriptions.Item>
      {withUnit && p.unit && <Descriptions.Item label={t('invset.unit')}>{p.unit}</Descriptions.Item>}
    </Descriptions>
  );
}

/** Settings whose value reads better in full than on one line. */
export const DETAILED = new Set<string>(['matching.rules', 'gl.subjectMap', 'conversion.rules', 'invoice.product']);

export function SettingDetail({ settingKey, value, ctx }: { settingKey: string; value: unknown; ctx: TextContext }) {
  const t = useT();
  switch (settingKey) {
    case 'matching.rules':
      return (
        <SmallTable<MatchRule & { i: number }>
          rowKey="i"
          dataSource={(value as MatchRule[]).map((r, i) => ({ ...r, i }))}
          columns={[
            { title: t('rule.order'), key: 'o', width: 60, align: 'center', render: (_, r) => r.i + 1 },
            {
              title: t('rule.name'),
              key: 'n',
              width: 240,
              render: (_, r) => <Typography.Text delete={!r.enabled}>{ruleName(r.name, t)}</Typography.Text>,
            },
            { title: t('rule.conditions'), key: 'c', render: (_, r) => conditionsText(r, t) },
            {
              title: t('rule.action'),
              key: 'a',
              width: 110,
              render: (_, r) => <CellTag color={r.action === 'match' ? 'green' : 'blue'}>{t(`rule.action.${r.action}`)}</CellTag>,
            },
            { title: t('rule.enabled'), key: 'e', width: 70, render: (_, r) => (r.enabled ? t('setting.yes') : t('setting.no')) },
          ]}
        />
      );
    case 'gl.subjectMap': {
      const rows = value as SubjectMapEntry[];
      if (!rows.length) return <Typography.Text type="secondary">{t('setting.mapNone')}</Typography.Text>;
      return (
        <SmallTable<SubjectMapEntry>
          rowKey="from"
          dataSource={rows}
          columns={[
            { title: t('glx.settings.from'), dataIndex: 'from', render: (c: string) => subjectText(ctx, c) },
            { title: t('glx.settings.to'), dataIndex: 'to', width: 180 },
            {
              title: t('glx.settings.toName'),
              dataIndex: 'name',
              render: (n: string | undefined, r) => n ?? ctx.subjectName?.(r.from) ?? '',
            },
          ]}
        />
      );
    }
    case 'conversion.rules':
      return (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {ruleSummary(t, value as ConversionRule)
            .split(' · ')
            .map((part) => (
              <li key={part}>{part}</li>
            ))}
        </ul>
      );
    case 'invoice.product':
      return <InvoiceProductFacts product={value as InvoiceProduct} labelWidth={170} withUnit />;
  }
  return null;
}
