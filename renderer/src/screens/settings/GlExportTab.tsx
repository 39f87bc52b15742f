// 设置 → 总账凭证: how vouchers leave for the general ledger. The subject mapping (Coffer 科目 → 对方科目
// 代码/名称) and 客户辅助核算 are settings an admin proposes and another admin confirms; the import templates
// (one per layout) an admin uploads from the GL, after which exports fill a copy of them.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  Input,
  Select,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMemo } from 'react';
import { type Data } from '../../api/coffer';
import { NO_ROWS, useJobWrite, useRead } from '../../api/queries';
import { Hash } from '../../components/Hash';
import { formatTime } from '../../format/dates';
import { ProposalCard, useProposalEditor, type ProposalValues } from './ProposalFields';
import { SettingChangesCard } from './SettingChanges';
import { SettingDetail } from './SettingDetail';
import { useSettingsForm } from './useSettingsForm';
import type { TextContext } from './setting-values';
import type { SubjectMapEntry } from '../../../../main/domain/gl-export';
import { useI18n } from '../../i18n';

type Settings = Data<'settings.list'>;
type Leaf = Data<'vouchers.accounts'>[number];
type MapRow = SubjectMapEntry;
interface MapForm extends ProposalValues {
  rows: Partial<MapRow>[];
  customerAux: boolean;
}
const KEYS = ['gl.subjectMap', 'gl.customerAux'] as const;

export default function GlExportTab() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const templateLoad = useJobWrite('vouchers.loadGlTemplate', ['vouchers.glTemplates']);
  const busy = templateLoad.busy;
  const { form, admin, proposal, card } = useProposalEditor<MapForm>(busy);

  const inForceMap = (d: Settings | null) => (d?.inForce.find((s) => s.key === 'gl.subjectMap')?.value ?? []) as MapRow[];
  const inForceAux = (d: Settings | null) => (d?.inForce.find((s) => s.key === 'gl.customerAux')?.value ?? false) as boolean;

  // The editor shows the mapping in force, and shows it again once a change is decided.
  const editor = useSettingsForm(form, KEYS, (d) => ({ rows: inForceMap(d).map((r) => ({ ...r })), customerAux: inForceAux(d) }));
  const { data } = editor;
  const templates = useRead('vouchers.glTemplates').data ?? null;
  const leaves: Leaf[] = useRead('vouchers.accounts').data ?? NO_ROWS;

  const nameOf = useMemo(() => new Map(leaves.map((l) => [l.subjectCode, lang === 'en' ? l.nameEn : l.name])), [leaves, lang]);
  const ctx = useMemo<TextContext>(() => ({ t, subjectName: (c) => nameOf.get(c) }), [t, nameOf]);
  const map = inForceMap(data);

  const propose = async (v: MapForm) => {
    const rows = (v.rows ?? [])
      .filter((r) => r.from)
      .map((r) => ({ from: r.from!, to: r.to ?? '', ...(r.name?.trim() ? { name: r.name.trim() } : {}) }));
    const same = JSON.stringify(rows) === JSON.stringify(map.map((r) => ({ from: r.from, to: r.to, ...(r.name ? { name: r.name } : {}) })));
    const quiet = { success: false } as const;
    if (!same && !(await proposal.propose('gl.subjectMap', rows, v, quiet))) return;
    if (!!v.customerAux !== inForceAux(data) && !(await proposal.propose('gl.customerAux', !!v.customerAux, v, quiet))) return;
    void message.success(t('glx.settings.proposed'));
    form.setFieldValue('reason', '');
  };

  const loadTemplate = async (format: 'kingdee' | 'yonyou') => {
    if (await templateLoad.run({ format })) void message.success(t('glx.settings.loaded'));
  };

  const mapColumns: TableColumnsType<MapRow> = [
    { title: t('glx.settings.from'), dataIndex: 'from', render: (c: string) => `${c} ${nameOf.get(c) ?? ''}` },
    { title: t('glx.settings.to'), dataIndex: 'to', width: 180 },
    { title: t('glx.settings.toName'), dataIndex: 'name', render: (n: string | undefined, r) => n ?? nameOf.get(r.from) ?? '' },
  ];
  return (
    <Flex vertical gap={12} data-testid="glset-tab">
      <Card size="small" title={t('glx.settings.inForce')} styles={{ body: { padding: map.length ? 0 : undefined } }}>
        {map.length ? (
          <Table<MapRow> data-testid="glset-in-force" rowKey="from" size="small" columns={mapColumns} dataSource={map} pagination={false} />
        ) : (
          <Typography.Text type="secondary">{t('glx.settings.none')}</Typography.Text>
        )}
        <Typography.Paragraph style={{ margin: map.length ? '8px 12px' : '8px 0 0' }}>
          {t('glx.auxLine', { state: inForceAux(data) ? t('glx.auxOn') : t('glx.auxOff') })}
        </Typography.Paragraph>
      </Card>

      <ProposalCard<MapForm>
        {...card}
        titles={{ editor: t('glx.settings.editor'), readOnly: t('glx.settings.readOnly') }}
        onPropose={propose}
        testId="glset"
        submitText={t('glx.settings.propose')}
      >
        <Flex gap={8} style={{ fontWeight: 500, marginBottom: 6 }}>
          <span style={{ width: 300 }}>{t('glx.settings.from')}</span>
          <span style={{ width: 180 }}>{t('glx.settings.to')}</span>
          <span style={{ width: 220 }}>{t('glx.settings.toName')}</span>
        </Flex>
        <Form.List name="rows">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="start">
                  <Form.Item name={[f.name, 'from']} style={{ width: 300, marginBottom: 8 }} rules={[{ required: true }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      options={leaves.map((l) => ({
                        value: l.subjectCode,
                        label: `${l.subjectCode} ${lang === 'en' ? l.nameEn : l.name}`,
                      }))}
                      data-testid={`glset-from-${f.name}`}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'to']} style={{ width: 180, marginBottom: 8 }}>
                    <Input maxLength={40} placeholder="2203.01" data-testid={`glset-to-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} style={{ width: 220, marginBottom: 8 }}>
                    <Input maxLength={60} placeholder={t('glx.settings.toNameHint')} />
                  </Form.Item>
                  {admin && (
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('glx.settings.remove')} />
                  )}
                </Flex>
              ))}
              {admin && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({})}
                  style={{ width: 300, marginBottom: 12 }}
                  data-testid="glset-add"
                >
                  {t('glx.settings.add')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        <Form.Item name="customerAux" valuePropName="checked" style={{ marginBottom: 12 }}>
          <Checkbox data-testid="glset-aux">{t('glx.settings.auxLabel')}</Checkbox>
        </Form.Item>
      </ProposalCard>

      <SettingChangesCard
        title={t('glx.settings.changes')}
        {...editor}
        ctx={ctx}
        testId="glset"
        emptyText={t('glx.settings.noChanges')}
        expandable={(c) => (c.key === 'gl.subjectMap' ? <SettingDetail settingKey={c.key} value={c.value} ctx={ctx} /> : null)}
      />

      <Card size="small" title={t('glx.settings.templates')} data-testid="glset-templates">
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('glx.settings.templatesNote')}
        </Typography.Paragraph>
        <Flex vertical gap={12}>
          {(['kingdee', 'yonyou'] as const).map((f) => {
            const tpl = templates?.[f] ?? null;
            return (
              <Card
                key={f}
                size="small"
                type="inner"
                title={t(`glx.format.${f}`)}
                extra={
                  admin && (
                    <Button icon={<UploadOutlined />} loading={busy} onClick={() => void loadTemplate(f)} data-testid={`glset-load-${f}`}>
                      {t('glx.settings.load')}
                    </Button>
                  )
                }
              >
                {tpl ? (
                  <Descriptions size="small" column={2} data-testid={`glset-template-${f}`}>
                    <Descriptions.Item label={t('invset.templateFile')}>
                      {t('glx.templateLoaded', { file: tpl.fileName, row: tpl.headerRow })}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('glx.settings.loadedAt')}>
                      {formatTime(tpl.loadedAt)} · {tpl.loadedBy ?? '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('glx.settings.headers')} span={2}>
                      {tpl.headers.filter(Boolean).join('、')}
                    </Descriptions.Item>
                    <Descriptions.Item label="SHA-256" span={2}>
                      <Hash value={tpl.sha256} />
                    </Descriptions.Item>
                  </Descriptions>
                ) : (
                  <Alert type="info" showIcon title={t('glx.settings.noTemplate')} />
                )}
              </Card>
            );
          })}
        </Flex>
      </Card>
    </Flex>
  );
}
