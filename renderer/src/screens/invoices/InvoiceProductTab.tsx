// 设置 → 开票: what an invoice line for coins is — item name, tax classification code, VAT rate (an
// integer ratio, typed as a per cent), 不征税, whether only 普通发票 may be issued — a setting an admin
// proposes and another admin confirms (it moves money). And the official batch-import template file
// the tax bureau publishes: once loaded, exports fill a copy of it instead of the built-in rendition.
import { Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Flex, Form, Input, Space, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useJobWrite, useRead } from '../../api/queries';
import { Hash } from '../../components/Hash';
import { formatTime } from '../../format/dates';
import { ProposalCard, useProposalEditor, type ProposalValues } from '../settings/ProposalFields';
import { SettingChangesCard } from '../settings/SettingChanges';
import { InvoiceProductFacts } from '../settings/SettingDetail';
import type { InvoiceProduct } from '../../../../main/domain/invoice-tax';
import { useSettingsForm } from '../settings/useSettingsForm';
import { useT } from '../../i18n';
import { percentToRate, ratePercent } from './common';
import { Person } from '../../components/Person';

type Product = InvoiceProduct;
interface ProductForm extends ProposalValues {
  itemName?: string;
  taxCode?: string;
  rate?: string;
  notTaxable?: boolean;
  ordinaryOnly?: boolean;
  unit?: string;
}

function toForm(p: Product): ProductForm {
  return {
    itemName: p.itemName,
    taxCode: p.taxCode,
    rate: ratePercent((k) => k, p.rate, false).replace('%', ''),
    notTaxable: p.notTaxable,
    ordinaryOnly: p.ordinaryOnly,
    unit: p.unit ?? '',
  };
}

export default function InvoiceProductTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const templateLoad = useJobWrite('invoices.loadTemplate', ['invoices.template']);
  const busy = templateLoad.busy;
  const { form, admin, proposal, card } = useProposalEditor<ProductForm>(busy);
  const notTaxable = Form.useWatch('notTaxable', form);

  // The form shows the product in force, and shows it again once a change is decided.
  const editor = useSettingsForm(form, ['invoice.product'], (d) => {
    const p = d.inForce.find((s) => s.key === 'invoice.product')?.value as Product | undefined;
    return p && toForm(p);
  });
  const { data } = editor;
  const template = useRead('invoices.template').data ?? null;

  const inForce = data?.inForce.find((s) => s.key === 'invoice.product')?.value as Product | undefined;

  const propose = async (v: ProductForm) => {
    const rate = v.notTaxable ? { num: 0, den: 1 } : percentToRate(v.rate ?? '');
    if (!rate) return void message.error(t('invset.badRate'));
    const value: Product = {
      itemName: (v.itemName ?? '').trim(),
      taxCode: (v.taxCode ?? '').trim(),
      rate,
      notTaxable: !!v.notTaxable,
      ordinaryOnly: !!v.ordinaryOnly,
      ...(v.unit?.trim() ? { unit: v.unit.trim() } : {}),
    };
    if (await proposal.propose('invoice.product', value, v, { success: t('invset.proposed') })) form.setFieldValue('reason', '');
  };

  const loadTemplate = async () => {
    if (await templateLoad.run({})) void message.success(t('invset.templateLoaded'));
  };

  return (
    <Flex vertical gap={12} data-testid="invset-tab">
      <Card size="small" title={t('invset.inForceTitle')} data-testid="invset-in-force">
        {inForce && <InvoiceProductFacts product={inForce} labelWidth={180} />}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          {t('invset.note')}
        </Typography.Paragraph>
      </Card>

      <ProposalCard<ProductForm>
        {...card}
        titles={{ editor: t('invset.editorTitle'), readOnly: t('invset.editorReadOnly') }}
        onPropose={propose}
        testId="invset"
        submitText={t('invset.propose')}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="itemName"
            label={t('invset.itemName')}
            rules={[{ required: true, whitespace: true, max: 100 }]}
            style={{ width: 260 }}
          >
            <Input data-testid="invset-item" />
          </Form.Item>
          <Form.Item
            name="taxCode"
            label={t('invset.taxCode')}
            rules={[{ pattern: /^\d{19}$/, required: true, message: t('invset.badTaxCode') }]}
            style={{ width: 240 }}
          >
            <Input maxLength={19} data-testid="invset-code" />
          </Form.Item>
          <Form.Item name="rate" label={t('invset.rate')} style={{ width: 130 }}>
            <Input suffix="%" disabled={!!notTaxable} data-testid="invset-rate" />
          </Form.Item>
          <Form.Item name="unit" label={t('invset.unit')} style={{ width: 120 }}>
            <Input maxLength={20} />
          </Form.Item>
        </Flex>
        <Space size={24} style={{ marginBottom: 12 }}>
          <Form.Item name="notTaxable" valuePropName="checked" noStyle>
            <Checkbox data-testid="invset-not-taxable" onChange={(e) => e.target.checked && form.setFieldValue('rate', '0')}>
              {t('invset.notTaxable')}
            </Checkbox>
          </Form.Item>
          <Form.Item name="ordinaryOnly" valuePropName="checked" noStyle>
            <Checkbox data-testid="invset-ordinary-only">{t('invset.ordinaryOnly')}</Checkbox>
          </Form.Item>
        </Space>
      </ProposalCard>

      <SettingChangesCard title={t('invset.versionsTitle')} {...editor} testId="invset" emptyText={t('invset.noVersions')} />

      <Card
        size="small"
        title={t('invset.templateTitle')}
        extra={
          admin && (
            <Button icon={<UploadOutlined />} loading={busy} onClick={() => void loadTemplate()} data-testid="invset-load-template">
              {t('invset.loadTemplate')}
            </Button>
          )
        }
        data-testid="invset-template"
      >
        {template ? (
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('invset.templateFile')}>{template.fileName}</Descriptions.Item>
            <Descriptions.Item label={t('invset.templateVersion')}>{template.version ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('invset.templateLoadedAt')}>
              {formatTime(template.loadedAt)} · <Person who={template.loadedBy} />
            </Descriptions.Item>
            <Descriptions.Item label="SHA-256">
              <Hash value={template.sha256} />
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Alert type="info" showIcon title={t('invset.noTemplate')} />
        )}
      </Card>
    </Flex>
  );
}
