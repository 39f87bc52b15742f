// The header's one search box: a request (its platform id or counter number GT2026-000123), a receipt, a
// bank serial, an invoice or a voucher found by its number and opened. Ctrl+K (⌘K) puts the cursor here.
import { App as AntApp, AutoComplete, Flex, Input, Typography, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { call, type Data } from '../api/coffer';
import { formatAmount } from '../format/money';
import { useT } from '../i18n';
import { showError } from './errors';

type Hit = Data<'search.find'>['hits'][number];

export function hitHash(h: Hit): string {
  switch (h.kind) {
    case 'request':
      return `#/recharges/r/${h.id}`;
    case 'record':
      return `#/records/r/${h.id}`;
    case 'bankLine':
      return `#/reconciliation/s/${h.statementId}`;
    case 'invoice':
      return `#/invoices/i/${h.id}`;
    case 'voucher':
      return `#/vouchers/v/${h.id}`;
  }
}

export function GlobalSearch() {
  const t = useT();
  const { message } = AntApp.useApp();
  const input = useRef<InputRef>(null);
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const open = (h: Hit) => {
    location.hash = hitHash(h);
    setHits([]);
    setText('');
    input.current?.blur();
  };

  const find = async () => {
    const typed = text.trim();
    if (typed.length < 2) return;
    try {
      const r = await call('search.find', { text: typed });
      if (r.hits.length === 1) open(r.hits[0]!);
      else if (!r.hits.length) message.info(t('search.none', { text: typed }));
      setHits(r.hits.length > 1 ? r.hits : []);
    } catch (e) {
      showError(message, e, t);
    }
  };

  return (
    // The header's line height is its own; the box keeps an input's.
    <div style={{ lineHeight: 'normal', display: 'flex', alignItems: 'center' }}>
      <AutoComplete
        value={text}
        open={hits.length > 1}
        onChange={(v: string) => {
          setText(v);
          setHits([]);
        }}
        onSelect={(key: string) => {
          const h = hits.find((x) => `${x.kind}:${x.id}` === key);
          if (h) open(h);
        }}
        options={hits.map((h) => ({
          value: `${h.kind}:${h.id}`,
          label: (
            <Flex justify="space-between" gap={12} data-testid={`search-hit-${h.kind}-${h.id}`}>
              <span>
                {t(`search.kind.${h.kind}`)} {h.number}
              </span>
              <Typography.Text type="secondary">
                {h.about}
                {h.amount !== null ? ` · ${formatAmount(h.amount, 1)}` : ''}
              </Typography.Text>
            </Flex>
          ),
        }))}
        popupMatchSelectWidth={360}
        style={{ width: 240 }}
      >
        <Input
          ref={input}
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('search.placeholder')}
          onPressEnter={() => void find()}
          data-testid="global-search"
          aria-label={t('search.placeholder')}
        />
      </AutoComplete>
    </div>
  );
}
