// Matching by hand: a bank line to a request (or a request to a line) for an amount the accountant
// chooses. A line larger than the request is split: after one allocation the dialog stays open with
// what is left of the line, so the rest can go to another request. The server checks that neither
// side is ever over-allocated.
import { Alert, App as AntApp, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type MethodName } from '../../api/coffer';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { useDebounced } from '../../hooks/useDebounced';
import { useT } from '../../i18n';
import { AccountNo, fenText, fenToInput, outstanding, remaining, yuanInputToFen, type LineRow, type RequestRow } from './shared';
import { Facts } from '../../components/Facts';

/** What a match changes: both sides' lists and what is left unallocated. */
const MATCH_CHANGES: MethodName[] = [
  'requests.get',
  'requests.list',
  'reconcile.queue',
  'unallocated.ageing',
  'statements.list',
  'statements.lines',
];

export type MatchTarget = { kind: 'line'; line: LineRow } | { kind: 'request'; request: RequestRow };

export function MatchModal({ target, onClose }: { target: MatchTarget | null; onClose(changed: boolean): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [left, setLeft] = useState(0);
  const [pickedId, setPickedId] = useState<number | undefined>();
  const [amount, setAmount] = useState('');
  const [changed, setChanged] = useState(false);
  const [done, setDone] = useState<string[]>([]);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  // Candidates: open requests (searched on the server) for a line; unmatched lines for a request.
  const requests = (useRead(
    'requests.list',
    { status: ['submitted', 'partly_paid'], ...(q ? { text: q } : {}), limit: 30 },
    { enabled: target?.kind === 'line', keepPrevious: true },
  ).data?.rows ?? NO_ROWS) as RequestRow[];
  const lines = (useRead('reconcile.queue', { tab: 'unmatchedLines', limit: 200 }, { enabled: target?.kind === 'request' }).data ??
    NO_ROWS) as LineRow[];
  const match = useWrite('reconcile.match', MATCH_CHANGES);
  const busy = match.busy;

  useEffect(() => {
    if (!target) return;
    setLeft(target.kind === 'line' ? remaining(target.line) : outstanding(target.request));
    setPickedId(undefined);
    setAmount('');
    setChanged(false);
    setDone([]);
    setText('');
  }, [target]);

  const options = useMemo(() => {
    if (!target) return [];
    if (target.kind === 'line')
      return requests.map((r) => ({
        value: r.id,
        label: `${r.requestId} · ${r.customerName} · ${t('match.needs', { amount: fenText(outstanding(r)) })} · ${r.referenceCode}`,
        need: outstanding(r),
        short: `${r.requestId} · ${r.customerName}`,
      }));
    const needle = q.toLowerCase();
    return lines
      .filter(
        (l) =>
          !needle || [l.counterpartyName, l.counterpartyAccount, l.memo, fenText(remaining(l))].join(' ').toLowerCase().includes(needle),
      )
      .map((l) => ({
        value: l.id,
        label: `${l.booked} · ${fenText(remaining(l))} · ${l.counterpartyName ?? '—'} · ${l.memo ?? ''}`,
        need: remaining(l),
        short: `${l.booked} · ${l.counterpartyName ?? '—'}`,
      }));
  }, [target, requests, lines, q, t]);

  const pick = (id: number | undefined) => {
    setPickedId(id);
    const o = options.find((x) => x.value === id);
    if (o) setAmount(fenToInput(Math.min(o.need, left)));
  };

  const submit = async () => {
    if (!target || pickedId === undefined) return;
    const fen = yuanInputToFen(amount);
    if (!fen) {
      void message.error(t('match.badAmount'));
      return;
    }
    const lineId = target.kind === 'line' ? target.line.id : pickedId;
    const requestId = target.kind === 'line' ? pickedId : target.request.id;
    const r = await match.run({ lineId, requestId, amount: fen });
    if (!r) return;
    const label = options.find((o) => o.value === pickedId)?.short ?? '';
    setChanged(true);
    setDone((d) => [...d, `${fenText(fen)} → ${label}${r.proposalId ? ` (${t('queue.bulkProposed')})` : ''}`]);
    if (r.proposalId) {
      // Held for a second person: no money moved, so nothing is left to split here.
      void message.info(t('queue.proposed', { ref: label, amount: fenText(fen) }));
      onClose(true);
      return;
    }
    const rest = left - Number(fen);
    setLeft(rest);
    setPickedId(undefined);
    setAmount('');
    if (rest <= 0) {
      void message.success(t('match.done'));
      onClose(true);
    } else void message.success(t('match.doneSplit', { amount: fenText(rest) }));
  };

  if (!target) return null;
  const line = target.kind === 'line' ? target.line : null;
  const request = target.kind === 'request' ? target.request : null;
  return (
    <Modal
      open
      width={720}
      title={line ? t('match.lineTitle') : t('match.requestTitle', { ref: request!.requestId })}
      onCancel={() => onClose(changed)}
      onOk={() => void submit()}
      okText={t('match.ok')}
      cancelText={done.length ? t('common.close') : t('common.cancel')}
      okButtonProps={{ loading: busy, disabled: pickedId === undefined, 'data-testid': 'match-ok' }}
      data-testid="match-dialog"
      destroyOnHidden
    >
      {line && (
        <Facts
          column={2}
          items={[
            { key: 'b', label: t('line.booked'), children: line.booked },
            { key: 'a', label: t('line.amount'), children: fenText(line.amount) },
            { key: 'c', label: t('mapping.counterpartyName'), children: line.counterpartyName ?? '—' },
            { key: 'n', label: t('line.counterpartyAccount'), children: <AccountNo value={line.counterpartyAccount} /> },
            { key: 'm', label: t('line.memo'), span: 2, children: line.memo ?? '—' },
          ]}
        />
      )}
      {request && (
        <Facts
          column={2}
          items={[
            { key: 'c', label: t('request.customer'), children: request.customerName },
            { key: 'p', label: t('request.payerAccount'), children: <AccountNo value={request.payerAccount} /> },
            { key: 'a', label: t('request.amount'), children: fenText(request.amount) },
            { key: 'code', label: t('request.referenceCode'), children: request.referenceCode },
          ]}
        />
      )}
      <Alert
        style={{ margin: '12px 0' }}
        type={done.length ? 'success' : 'info'}
        showIcon
        title={
          <span data-testid="match-left">
            {line ? t('match.lineLeft', { amount: fenText(left) }) : t('match.requestLeft', { amount: fenText(left) })}
          </span>
        }
        description={
          done.length ? (
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="match-done-list">
              {done.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : line ? (
            t('match.splitHint')
          ) : undefined
        }
      />
      <Form layout="vertical" requiredMark={false} onFinish={() => void submit()}>
        <Form.Item label={line ? t('match.pickRequest') : t('match.pickLine')}>
          <Select<number>
            showSearch={{ filterOption: false, onSearch: setText }}
            value={pickedId}
            onChange={pick}
            options={options.map((o) => ({ value: o.value, label: o.label }))}
            placeholder={line ? t('match.searchRequests') : t('match.searchLines')}
            notFoundContent={t('match.noneFound')}
            data-testid="match-pick"
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item label={t('match.amount')} extra={t('match.amountHint')}>
          <Input
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            suffix={t('ledger.unit.1')}
            style={{ width: 220 }}
            data-testid="match-amount"
          />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
      <Typography.Text type="secondary">{t('match.auditNote')}</Typography.Text>
    </Modal>
  );
}
