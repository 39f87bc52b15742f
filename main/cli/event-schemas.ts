// JSON Schemas of the platform's event lines, generated from the zod schemas Coffer itself checks
// lines with (formats/event-types.ts: EVENT_ENVELOPE and one EVENT_DATA schema per type) by zod 4's
// z.toJSONSchema, as the *input* a line may have (draft 2020-12). JSON Schema cannot say everything the
// reader checks — that an IP or MAC address parses, that a bank number has 4 to 40 digits once spaces
// and dashes are gone, that an id is not reused with other content — so those fields carry a
// description, and Coffer's reader stays the judge (`coffer import events --dry-run`).
import { z } from 'zod';
import { EVENT_DATA, EVENT_ENVELOPE, EVENT_TYPES, type EventType } from '../formats/event-types';

type Json = Record<string, unknown>;

const FIELD_NOTES: Record<string, string> = {
  ip: 'IPv4 or IPv6 address (any notation; compared in normalised form: IPv6 compressed lowercase, IPv4-mapped IPv6 as IPv4)',
  mac: 'MAC address: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or 12 hex digits (compared in normalised form)',
  account_number: 'bank account or card number: 4 to 40 digits; spaces and dashes are allowed and ignored',
  coins: 'a positive whole number of coins, as a JSON number or a string of digits',
  session: "the platform's session id from a customer.login event; a request naming a session from a blocked login is refused",
  customer: "the platform's customer id",
  account: "the platform's account id",
  from_account: "the platform's id of the paying account",
  to_account: "the platform's id of the receiving account",
  payer_account: 'the bank account the customer pays from; it must be bound to the account when the request is made',
  amount: 'yuan as a decimal string with at most two decimals, e.g. "1288.00"',
  reference_code: 'the short code the customer writes in the transfer memo (6 to 12 letters or digits); matching looks for it',
  channel: 'how the customer pays: bank (transfer), alipay or wechat',
  recharges:
    'the recharge request ids (earlier recharge.requested event ids) to invoice; each must be credited, of that customer, with paid money still invoiceable',
  invoice_type: '普通发票 (ordinary) or 增值税专用发票 (special VAT invoice)',
  buyer_name: 'the buyer name (购买方名称): at most 100 characters at the check, not beginning with = + - or @',
  taxpayer_id:
    'the buyer taxpayer id (纳税人识别号), required for 增值税专用发票: 15, 18 or 20 digits and capital letters; 18 must pass the credit-code check character',
  payee_name: 'the person paid, as on their ID (the 扣缴申报 names them)',
  id_type:
    'the ID type (证照类型): resident_id 居民身份证, cn_passport 中国护照, hk_macao_permit 港澳居民来往内地通行证, taiwan_permit 台湾居民来往大陆通行证, foreign_passport 外国护照, foreign_permanent_residence 外国人永久居留身份证, hk_macao_residence 港澳居民居住证, taiwan_residence 台湾居民居住证',
  id_number:
    'the ID number: for resident_id 18 characters whose last is the GB 11643 check character (0-9 or X); otherwise 5 to 30 letters, digits, ( ) or -; spaces ignored',
  wallet: 'which wallet: recharge (coins bought) or earnings (coins earned); coins never move from one kind to the other',
};

const TYPE_NOTES: Record<EventType, string> = {
  'customer.registered': 'A customer (person or company) registered on the platform.',
  'account.opened': 'An account of a customer, with the address it registered from (the device binding). Opens linked.',
  'bank_account.bound': 'The account names a bank account it pays from.',
  'bank_account.unbound': 'The account no longer pays from that bank account.',
  'accounts.linked': "Puts the customer's accounts into the link group.",
  'accounts.unlinked': "Takes the customer's accounts out of the link group.",
  'customer.login': 'A login, compared with the registered addresses of the same kind (strict: a mismatch is blocked; review: flagged).',
  'transfer.requested':
    'Coins moving between two linked accounts of one customer, same wallet kind; above the approval threshold held for an approver.',
  'earnings.credited': "Earnings coins credited from the platform's pool to the account's earnings wallet.",
  'coins.spent': "Coins spent on the platform from one of the account's wallets.",
  'coins.expired':
    "Recharge coins that expired on the platform (过期), taken out of the account's recharge wallet (refused when it lacks them); the revenue run recognises their value as it does for coins spent.",
  'earnings.withdrawal_requested':
    "A creator asks to withdraw earnings coins as money (收益提现) to the payee's bank account: the coins are reserved in the earnings wallet (refused when it lacks them), valued at the earnings coin value in force, and wait for an approver, who withholds 劳务报酬 income tax; the net is paid by a money-out bank line.",
  'invoice.requested':
    'An invoice request over credited recharges: invoice type and buyer details. Checked by a clerk field by field (rejected with the problems, or checked with the amounts reserved), then issued by an approver.',
  'recharge.requested':
    'A recharge request: the account, the bank account paid from (bound to the account at that moment), the amount in yuan and the reference code the customer writes in the transfer memo.',
};

function annotate(data: Json, type: EventType): Json {
  const props = (data.properties ?? {}) as Record<string, Json>;
  for (const [name, p] of Object.entries(props)) {
    if (FIELD_NOTES[name]) p.description = FIELD_NOTES[name];
    if (name === 'coins' && Array.isArray(p.anyOf)) {
      // The reader takes a number only when it is a safe positive integer.
      p.anyOf = [
        { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        ...(p.anyOf as Json[]).filter((a) => a.type !== 'number'),
      ];
    }
  }
  if ('ip' in props && 'mac' in props) {
    data.anyOf = [{ required: ['ip'] }, { required: ['mac'] }];
    data.description = `${TYPE_NOTES[type]} Give the ip or the mac address used, or both.`;
  } else data.description = TYPE_NOTES[type];
  return data;
}

/** The JSON Schema of one whole event line of the given type (envelope with that type's data). */
export function eventLineSchema(type: EventType): Json {
  const line = EVENT_ENVELOPE.extend({ type: z.literal(type), data: EVENT_DATA[type] });
  const s = z.toJSONSchema(line, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = s.properties as Record<string, Json>;
  annotate(props.data!, type);
  props.id!.description =
    'the event id: unique, the idempotency key (the same id again with the same content is skipped, with other content refused)';
  props.at!.description = 'when it happened: ISO 8601 date and time with its offset, e.g. 2026-11-20T09:00:00+08:00';
  return {
    $schema: s.$schema,
    $id: `https://coffer.invalid/schemas/events/${type}.schema.json`,
    title: `Coffer platform event: ${type}`,
    ...s,
  };
}

/** The envelope every line shares, with `data` left open (its schema depends on `type`). */
export function envelopeSchema(): Json {
  const s = z.toJSONSchema(EVENT_ENVELOPE, { io: 'input', unrepresentable: 'any' }) as Json;
  return {
    $schema: s.$schema,
    $id: 'https://coffer.invalid/schemas/events/envelope.schema.json',
    title: 'Coffer platform event line (envelope)',
    description: "One JSON object per line (JSON Lines, UTF-8). The schema of `data` is the one for the line's `type`.",
    ...s,
  };
}

/** File name → schema: envelope.schema.json and one `<type>.schema.json` per event type. */
export function eventSchemas(): Record<string, Json> {
  const out: Record<string, Json> = { 'envelope.schema.json': envelopeSchema() };
  for (const t of EVENT_TYPES) out[`${t}.schema.json`] = eventLineSchema(t);
  return out;
}
