// Settings that govern money and access, changed by proposal: an admin proposes a value effective
// from a time, and another admin confirms it. The value in force at a moment is the latest confirmed
// change effective at or before it; until any is confirmed, the default.
import { literal, type RowOf } from '../db/query';
import { z } from 'zod';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { recordAudit } from './audit';
import { refuse } from '../domain/refusals';
import { refuseNewerAccount } from './staff-changes';
import { recordDecision, type Decision, type ProposalOut } from './four-eyes';
import { DEFAULT_RULES, type MatchRule } from '../domain/matching';
import { DEFAULT_CONVERSION, type ConversionRule } from '../domain/conversion';
import { checkSubjectMap, type ChartSubject, type SubjectMapEntry } from '../domain/gl-export';

const count = z.number().int().min(0).max(1_000_000_000);
/** A step tier: reached from an amount, with bonus coins or a bonus percentage. */
export const tier = z
  .object({
    fromFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    bonusCoins: count.optional(),
    bonusBp: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
const rate = {
  coins: z.number().int().min(1).max(1_000_000),
  perFen: z.number().int().min(1).max(1_000_000),
  rounding: z.enum(['down', 'half_up', 'up']),
  tiers: z.array(tier).max(20),
};
/** A rule version as it is proposed, and as a recharge record keeps the one that priced it. */
export const conversionRule = z
  .object({
    ...rate,
    firstRechargeBonusCoins: count.optional(),
    firstRechargeBonusBp: z.number().int().min(0).max(100_000).optional(),
    channels: z
      .object({
        bank: z.object(rate).partial().strict(),
        alipay: z.object(rate).partial().strict(),
        wechat: z.object(rate).partial().strict(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

const matchRule = z
  .object({
    name: z.string().trim().min(1).max(80),
    enabled: z.boolean(),
    referenceInMemo: z.boolean().optional(),
    payerAccount: z.boolean().optional(),
    payerName: z.boolean().optional(),
    amount: z.enum(['exact', 'upTo', 'atLeast', 'any']),
    toleranceFen: z.number().int().min(0).max(1_000_000).optional(),
    toleranceBp: z.number().int().min(0).max(1000).optional(),
    windowDays: z.number().int().min(0).max(540),
    action: z.enum(['match', 'suggest']),
    fourEyesFromFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict()
  .refine((r) => r.referenceInMemo || r.payerAccount || r.amount === 'exact', says('match_rule_condition'))
  .refine((r) => r.action === 'suggest' || r.referenceInMemo || r.payerAccount, says('match_rule_automatic'));
import type { Actor } from './actor';
import { PREPAID_VALUE, type InvoiceProduct } from '../domain/invoice-tax';
import type { RevenueMethod } from '../domain/revenue';
import { shanghaiDate, shanghaiDayStart } from '../domain/dates';
import { firstDay, monthOf } from '../domain/periods';
import { parseInput, says } from '../domain/input-problems';
import { mapInTurn } from './in-turn';

const invoiceProduct = z
  .object({
    itemName: z.string().trim().min(1).max(100),
    taxCode: z.string().regex(/^\d{19}$/, says('tax_code_digits')),
    rate: z.object({ num: z.number().int().min(0).max(100), den: z.number().int().min(1).max(10_000) }).strict(),
    notTaxable: z.boolean(),
    ordinaryOnly: z.boolean(),
    unit: z.string().trim().max(20).optional(),
  })
  .strict()
  .refine((p) => p.rate.num < p.rate.den, says('rate_below_100'))
  .refine((p) => !p.notTaxable || p.rate.num === 0, says('not_taxable_rate'));

const glSubjectMap = z
  .array(
    z
      .object({
        from: z.string().regex(/^\d{4,12}$/, says('subject_code_digits')),
        // Not trimmed or pattern-checked here: checkSubjectMap refuses an empty or ill-formed code with its own code.
        to: z.string().max(80),
        name: z.string().trim().max(60).optional(),
      })
      .strict(),
  )
  .max(500);

/** The chart as the GL mapping check sees it: every subject with its type and whether it is a leaf. */
export async function glChart(q: Queryable): Promise<ChartSubject[]> {
  return (
    await q.db
      .selectFrom('subjects as s')
      .select((eb) => [
        'code',
        'name',
        'type',
        eb.not(eb.exists(eb.selectFrom('subjects as c').select(eb.lit(1).as('one')).whereRef('c.parent_code', '=', 's.code'))).as('leaf'),
      ])
      .orderBy('code')
      .execute()
  ).map((s) => ({ ...s, leaf: Number(s.leaf) === 1 }));
}

export const SETTINGS = {
  'device.policy': {
    schema: z.enum(['strict', 'review']),
    default: 'strict' as 'strict' | 'review',
    describe: 'what a login from another address does: strict blocks it (as the patent says); review lets it through, flagged for staff',
  },
  'transfer.approvalThreshold': {
    schema: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    default: 10_000,
    describe: 'coins: a transfer among linked accounts above this waits for an approver',
  },
  'matching.rules': {
    schema: z.array(matchRule).min(1).max(50),
    default: DEFAULT_RULES as MatchRule[],
    describe: 'the ordered matching rules: the first rule that finds a single candidate decides (match, or suggest)',
  },
  'matching.writeOffCapFen': {
    schema: z.number().int().min(0).max(100_000),
    default: 1_000,
    describe: 'fen: the largest difference (bank fee) that may be written off on one request, with an approver',
  },
  'matching.unallocatedReclassifyDays': {
    schema: z.number().int().min(0).max(3650),
    default: 90,
    describe:
      'days: unallocated money booked at least this long ago may be reclassified to 224103 待查款项 (proposed and approved by two people)',
  },
  'recharge.expiryDays': {
    schema: z.number().int().min(1).max(365),
    default: 7,
    describe: 'days after which a request with no money found expires',
  },
  'conversion.rules': {
    schema: conversionRule,
    default: DEFAULT_CONVERSION as ConversionRule,
    describe: 'how money becomes coins: base rate (coins per fen), step tiers with bonus, first-recharge bonus, rounding, per channel',
  },
  'approval.dualAboveFen': {
    schema: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    default: 5_000_000,
    describe: 'fen: a recharge above this needs two different approvers',
  },
  'invoice.product': {
    schema: invoiceProduct,
    default: PREPAID_VALUE as InvoiceProduct,
    describe:
      'what an invoice line for coins is: item name, tax code, rate (an integer ratio), 不征税, and whether only 普通发票 may be issued (default: prepaid value, 预付卡销售和充值)',
  },
  'revenue.method': {
    schema: z.enum(['fifo', 'weighted']),
    default: 'fifo' as RevenueMethod,
    describe: "which recharge lots a wallet's use of coins draws on in the revenue run: fifo (oldest first) or weighted (average)",
    monthly: true,
  },
  'revenue.breakageBp': {
    schema: z.number().int().min(0).max(9_000),
    default: 0,
    describe: 'basis points: the expected unused share of coins, recognised in proportion to use (0 = off)',
    monthly: true,
  },
  'revenue.vatRate': {
    schema: z
      .object({ num: z.number().int().min(0).max(100), den: z.number().int().min(1).max(10_000) })
      .strict()
      .refine((r) => r.num < r.den, says('rate_below_100')),
    default: { num: 6, den: 100 } as { num: number; den: number },
    describe: 'output VAT on coins used (an integer ratio, 6/100 by default), charged by the revenue run',
    monthly: true,
  },
  'gl.subjectMap': {
    schema: glSubjectMap,
    default: [] as SubjectMapEntry[],
    describe:
      "vouchers for the general ledger: Coffer's 科目编码 → the GL's 科目代码 (and name); a subject not listed exports under its own code",
    check: async (q: Queryable, value: unknown) => checkSubjectMap(value as SubjectMapEntry[], await glChart(q)),
  },
  'gl.customerAux': {
    schema: z.boolean(),
    default: false,
    describe:
      'vouchers for the general ledger: lines on customer subjects (合同负债, 应付退款) carry the customer (客户 辅助核算), split per customer',
  },
  'earnings.coinValue': {
    schema: z.object({ fen: z.number().int().min(0).max(1_000_000), perCoins: z.number().int().min(1).max(1_000_000) }).strict(),
    default: { fen: 10, perCoins: 1 } as { fen: number; perCoins: number },
    describe:
      "what an earnings coin is worth to its creator: fen per perCoins coins (0.10 yuan a coin by default); each credit's value (rounded half up to the fen) is booked Dr the cost subject / Cr 220201 应付账款—创作者收益, and a payout is valued at the rate in force when it is requested",
  },
  'earnings.costSubject': {
    schema: z.string().regex(/^\d{4}(\d\d){0,4}$/, says('subject_code_levels')),
    default: '6401' as string,
    describe: "the leaf subject debited when creators' earnings are credited (default 6401 主营业务成本)",
  },
  'session.idleMinutes': {
    schema: z.number().int().min(1).max(480),
    default: 15,
    describe: 'minutes without use after which a staff session ends',
  },
  'session.maxHours': {
    schema: z.number().int().min(1).max(72),
    default: 12,
    describe: 'hours after its login at which a staff session ends, however busy (a stolen token is good for no longer)',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

// A change takes effect at its time, but never before a second person confirmed it: one confirmed late
// takes effect at its confirmation, so nothing submitted before then (a recharge request priced by a
// conversion rule) is ever re-priced by it.
async function inForce(q: Queryable, key: SettingKey, at: number): Promise<{ id: number; value: string } | undefined> {
  const held = await heldInForce(q, key, at);
  if (held !== null) return held;
  return await q.db
    .selectFrom('setting_changes')
    .select(['id', 'value'])
    .where('key', '=', key)
    .where('status', '=', literal('confirmed'))
    .where('effective_from', '<=', at)
    .where('decided_at', '<=', at)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface ConfirmedChange {
  id: number;
  value: string;
  effective_from: number;
  decided_at: number | null;
}

// A bulk action that changes no setting (an event import) reads each key's confirmed changes once:
// the change in force at each moment is then found among them as inForce would find it.
const fixedSettings = new WeakMap<Queryable, Map<string, ConfirmedChange[]>>();

/** Until the returned function is called, `q` reads settings from memory: for work that changes none. */
export function holdSettings(q: Queryable): () => void {
  fixedSettings.set(q, new Map());
  return () => fixedSettings.delete(q);
}

async function heldInForce(q: Queryable, key: SettingKey, at: number): Promise<ConfirmedChange | undefined | null> {
  const held = fixedSettings.get(q);
  if (!held) return null;
  let changes = held.get(key);
  if (!changes) {
    changes = await confirmedChanges(q, key);
    held.set(key, changes);
  }
  return inForceAmong(changes, at);
}

/** A key's confirmed changes, the latest effective first: what inForceAmong looks through. */
export async function confirmedChanges(q: Queryable, key: SettingKey): Promise<ConfirmedChange[]> {
  return await q.db
    .selectFrom('setting_changes')
    .select(['id', 'value', 'effective_from', 'decided_at'])
    .where('key', '=', key)
    .where('status', '=', literal('confirmed'))
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The change in force at `at` among a key's confirmed changes (latest effective first), as inForce finds it. */
export function inForceAmong(changes: readonly ConfirmedChange[], at: number): ConfirmedChange | undefined {
  return changes.find((c) => c.effective_from <= at && c.decided_at !== null && c.decided_at <= at);
}

/** A key's value at `at` from its confirmed changes read before: settingAt without a statement. */
export function settingAmong<K extends SettingKey>(key: K, changes: readonly ConfirmedChange[], at: number): SettingValue<K> {
  return valueOr(key, inForceAmong(changes, at));
}

/** A change's value, or the key's default where no change is in force. */
function valueOr<K extends SettingKey>(key: K, row: { value: string } | undefined): SettingValue<K> {
  return row ? (JSON.parse(row.value) as SettingValue<K>) : SETTINGS[key].default;
}

/** The confirmed change in force at a moment (its id is the version), or null while the default applies. */
export async function settingVersionAt(q: Queryable, key: SettingKey, at: number): Promise<number> {
  return (await inForce(q, key, at))?.id ?? 0;
}

/** A setting's value at a moment and its version (settingAt and settingVersionAt in one read). */
export async function settingWithVersionAt<K extends SettingKey>(
  q: Queryable,
  key: K,
  at: number,
): Promise<{ value: SettingValue<K>; version: number }> {
  const row = await inForce(q, key, at);
  return { value: valueOr(key, row), version: row?.id ?? 0 };
}

export async function settingAt<K extends SettingKey>(q: Queryable, key: K, at: number): Promise<SettingValue<K>> {
  return valueOr(key, await inForce(q, key, at));
}

type MonthlyKey = { [K in SettingKey]: (typeof SETTINGS)[K] extends { monthly: true } ? K : never }[SettingKey];
const isMonthly = (key: SettingKey): key is MonthlyKey => 'monthly' in SETTINGS[key];

/**
 * A setting that governs a whole month (the revenue run's method, breakage and VAT rate): the latest
 * confirmed change effective from the month's first day or before. Such a change takes effect from the
 * first day of a month that is open and has no posted revenue run, checked when proposed and confirmed.
 */
export async function monthlySetting<K extends MonthlyKey>(q: Queryable, key: K, month: string): Promise<SettingValue<K>> {
  const row = await q.db
    .selectFrom('setting_changes')
    .select('value')
    .where('key', '=', key)
    .where('status', '=', literal('confirmed'))
    .where('effective_from', '<=', shanghaiDayStart(firstDay(month)))
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return valueOr(key, row);
}

async function monthlyEffectCheck(q: Queryable, key: SettingKey, effectiveFrom: number): Promise<void> {
  const month = monthOf(shanghaiDate(effectiveFrom));
  if (shanghaiDayStart(firstDay(month)) !== effectiveFrom)
    throw refuse('VALIDATION', 'effective_month_start', { key }, { field: 'effectiveFrom' });
  const state = (await q.db.selectFrom('periods').select('state').where('month', '=', month).executeTakeFirst())?.state ?? 'open';
  const run = await q.db
    .selectFrom('revenue_runs')
    .select('month')
    .where('status', '=', literal('posted'))
    .where('month', '>=', month)
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (state !== 'open' || run)
    throw refuse('REFUSED', 'monthly_setting_month_done', { key, month, runMonth: run?.month ?? '', state }, { field: 'effectiveFrom' });
}

export interface SettingChangeOut extends ProposalOut {
  id: number;
  key: SettingKey;
  value: unknown;
  /** The value this change replaces: in force just before it took effect, or when it would (pending or rejected). */
  before: unknown;
  effectiveFrom: number;
  reason: string;
  /** Usernames beside the display names, for a hover. */
  proposedByUser: string;
  decidedByUser: string | null;
}

type ChangeRow = RowOf<typeof changes> & { key: SettingKey };

/** Setting changes with who proposed and decided them. */
function changes(q: Queryable) {
  return q.db
    .selectFrom('setting_changes as c')
    .innerJoin('staff as p', 'p.id', 'c.proposed_by')
    .leftJoin('staff as d', 'd.id', 'c.decided_by')
    .selectAll('c')
    .select(['p.display_name as proposer', 'p.username as proposer_user', 'd.display_name as decider', 'd.username as decider_user']);
}

const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(SETTINGS, key);

/** A change's row with its key a setting's (proposing checked it). */
function changeRow(r: RowOf<typeof changes>): ChangeRow {
  const { key } = r;
  if (!isSettingKey(key)) throw new Error(`setting change ${r.id} names an unknown setting ${key}`);
  return { ...r, key };
}

/**
 * The value a change replaces, itself left out: for a confirmed change, the value in force just before it
 * took effect (changes ordered after it do not count); for one pending or rejected, the value in force
 * when it would have taken effect. A monthly setting takes effect from its month's first day, whenever
 * confirmed; any other at its time or its confirmation, whichever is later (as settingAt reads them).
 */
async function valueBefore(q: Queryable, c: ChangeRow, now: number): Promise<unknown> {
  const monthly = isMonthly(c.key);
  const at = monthly ? c.effective_from : Math.max(c.effective_from, c.decided_at ?? now);
  let query = q.db
    .selectFrom('setting_changes')
    .select('value')
    .where('key', '=', c.key)
    .where('status', '=', literal('confirmed'))
    .where('id', '<>', c.id)
    .where('effective_from', '<=', at);
  if (!monthly) query = query.where('decided_at', '<=', at);
  if (c.status === 'confirmed')
    query = query.where((eb) =>
      eb.or([eb('effective_from', '<', c.effective_from), eb.and([eb('effective_from', '=', c.effective_from), eb('id', '<', c.id)])]),
    );
  const row = await query.orderBy('effective_from', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? JSON.parse(row.value) : SETTINGS[c.key].default;
}

export async function listSettingChanges(q: Queryable, now = Date.now()): Promise<SettingChangeOut[]> {
  const rows = (await changes(q).orderBy('c.id', 'desc').limit(500).execute()).map(changeRow);
  return await mapInTurn(rows, async (r) => ({
    id: r.id,
    key: r.key,
    value: JSON.parse(r.value),
    before: await valueBefore(q, r, now),
    effectiveFrom: r.effective_from,
    reason: r.reason,
    proposedBy: r.proposed_by,
    proposedByName: r.proposer,
    proposedByUser: r.proposer_user,
    proposedAt: r.proposed_at,
    status: r.status,
    decidedBy: r.decided_by,
    decidedByName: r.decider,
    decidedByUser: r.decider_user,
    decidedAt: r.decided_at,
  }));
}

/** Every setting with its value in force now, its default and what it means. */
export async function settingsInForce(q: Queryable, now: number) {
  return await mapInTurn(SETTING_KEYS, async (key) => ({
    key,
    value: await settingAt(q, key, now),
    default: SETTINGS[key].default,
    describe: SETTINGS[key].describe,
    /** The confirmed change in force (0: the default). */
    version: await settingVersionAt(q, key, now),
    /** Changes take effect from a month's first day. */
    monthly: isMonthly(key),
  }));
}

export async function proposeSetting(
  tx: Tx,
  actor: Actor,
  key: SettingKey,
  value: unknown,
  effectiveFrom: number,
  reason: string,
  now = Date.now(),
): Promise<SettingChangeOut> {
  const parsed = parseInput(SETTINGS[key].schema, value);
  if (!parsed.success) {
    const { field, code, params } = parsed.problems[0]!;
    throw field
      ? refuse('VALIDATION', 'setting_field_invalid', { ...params, key, field, cause: code }, { field: 'value' })
      : refuse('VALIDATION', 'setting_invalid', { ...params, key, cause: code }, { field: 'value' });
  }
  const setting = SETTINGS[key];
  if ('check' in setting) await setting.check(tx, parsed.data);
  if (isMonthly(key)) await monthlyEffectCheck(tx, key, effectiveFrom);
  else if (effectiveFrom < now - 60_000) throw refuse('VALIDATION', 'effective_in_past', {}, { field: 'effectiveFrom' });
  const info = await tx
    .sql('INSERT INTO setting_changes (key, value, effective_from, reason, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(key, JSON.stringify(parsed.data), effectiveFrom, reason, actor.staffId, now);
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'settings.propose',
    entity: 'setting_change',
    entityId: id,
    after: { key, value: parsed.data, effectiveFrom, reason },
    at: now,
  });
  return (await listSettingChanges(tx, now)).find((c) => c.id === id)!;
}

export async function decideSetting(tx: Tx, actor: Actor, id: number, decision: Decision, now = Date.now()): Promise<SettingChangeOut> {
  const change = (await listSettingChanges(tx)).find((c) => c.id === id);
  if (!change) throw refuse('NOT_FOUND', 'setting_change_not_found', { changeId: String(id) }, { field: 'id' });
  if (change.status !== 'proposed')
    throw refuse('CONFLICT', 'setting_change_decided', { changeId: String(id), status: change.status }, { field: 'id' });
  if (change.proposedBy === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_setting', { user: actor.name }, { field: 'id' });
  if (decision === 'confirmed') await refuseNewerAccount(tx, actor, 'setting_change', id);
  if (decision === 'confirmed' && isMonthly(change.key)) await monthlyEffectCheck(tx, change.key, change.effectiveFrom);
  await recordDecision(
    tx,
    actor,
    'setting',
    id,
    decision,
    { after: { key: change.key, value: change.value, effectiveFrom: change.effectiveFrom } },
    now,
  );
  return (await listSettingChanges(tx, now)).find((c) => c.id === id)!;
}
