// Why a business rule refused an item, as a stable code with parameters. The English message is for
// the CLI, logs and the audit trail; the console translates by code through its message catalogue
// (renderer/src/i18n/refusals.*.ts), never by matching English text.
//
// Parameter names carry their unit: `…Fen` is an integer string of fen (shown as yuan), `…Coins` an
// integer string of whole coins; everything else is shown as it is. A parameter named `cause` holds
// another code (a login verdict), whose text the renderer fills in.
import { CofferError, type ErrorCode } from './errors';
import { formatCoins, formatYuan } from './money';

type P<K extends string> = Record<K, string>;
/** A login verdict's own parameters, carried beside a `cause` that names the verdict. */
type Verdict = Partial<Record<'ip' | 'mac' | 'message', string>>;

export interface RefusalParamsByCode {
  // approval (approvals.approve / approveAll)
  already_credited: P<'requestId'>;
  not_matched: P<'requestId' | 'status'>;
  stale_version: P<'requestId' | 'seen' | 'now'>;
  four_eyes: P<'requestId' | 'user'>;
  same_approver: P<'requestId' | 'user'>;
  no_coins: P<'requestId' | 'amountFen' | 'ruleVersion'>;
  ledger_refused: P<'result'>;
  not_found: P<'ref'>;
  // not a refusal: an approval recorded, waiting for a second, different approver
  second_approver_needed: P<'requestId' | 'amountFen' | 'thresholdFen'>;
  // reject (requests.reject)
  not_rejectable: P<'requestId' | 'status'>;
  // reversal (records.reverse)
  already_reversed: P<'receiptNo'>;
  four_eyes_reverse: P<'receiptNo' | 'user'>;
  shortfall_move_back: P<'receiptNo' | 'account' | 'heldCoins' | 'creditedCoins' | 'shortCoins'>;
  coin_shortfall: P<'receiptNo' | 'heldCoins' | 'creditedCoins' | 'shortCoins'>;
  // refunds: a money-out bank line matched to the refund a reversal left payable
  refund_paid: P<'receiptNo' | 'lineId'>;
  line_not_money_out: P<'lineId'>;
  refund_amount_differs: P<'receiptNo' | 'lineId' | 'lineFen' | 'refundFen'>;
  line_pays_another_refund: P<'lineId' | 'receiptNo'>;
  // matching by hand and by the rules, unmatching
  line_money_out: P<'lineId'>;
  line_netted: P<'lineId' | 'otherLineId'>;
  line_is_reversal: P<'lineId'>;
  request_not_open: P<'requestId' | 'status'>;
  line_short: P<'lineId' | 'leftFen'>;
  request_needs_less: P<'requestId' | 'needFen'>;
  allocation_not_active: P<'allocationId' | 'status'>;
  cannot_unmatch: P<'requestId' | 'status'>;
  // write-off
  writeoff_not_partly_paid: P<'requestId' | 'status'>;
  writeoff_above_cap: P<'amountFen' | 'capFen'>;
  writeoff_pending: P<'requestId'>;
  writeoff_not_proposed: P<'allocationId' | 'status'>;
  four_eyes_writeoff: P<'user'>;
  writeoff_request_changed: P<'requestId'>;
  // four eyes on matching: proposals a second person confirms or declines
  match_proposal_waiting: P<'lineId' | 'requestId' | 'proposalId'>;
  unmatch_proposal_waiting: P<'lineId' | 'requestId' | 'proposalId'>;
  proposal_confirmed: P<'proposalId'>;
  proposal_declined: P<'proposalId'>;
  four_eyes_proposal: P<'proposalId' | 'user'>;
  proposal_stale: P<'proposalId' | 'requestId' | 'lineId' | 'seenVersion' | 'nowVersion' | 'seenAllocatedFen' | 'nowAllocatedFen'>;
  decline_reason_required: P<'proposalId'>;
  // invoices — the buyer check, one problem per field (the message is prefixed with the field's name)
  invoice_type_unknown: P<never>;
  buyer_name_required: P<never>;
  text_too_long: P<'length' | 'max'>;
  text_formula: P<never>;
  text_control: P<never>;
  taxpayer_id_required: P<never>;
  taxpayer_id_chars: P<'id'>;
  taxpayer_id_length: P<'id' | 'length'>;
  taxpayer_id_check: P<'id'>;
  natural_person_special: P<never>;
  phone_invalid: P<'phone'>;
  bank_account_invalid: P<never>;
  email_invalid: P<'email'>;
  invoice_ordinary_only: P<'item'>;
  // invoices — the recharges and amount a request names
  recharge_unknown: P<'ref'>;
  recharge_not_credited: P<'ref' | 'status'>;
  recharge_other_customer: P<'ref' | 'receiptNo'>;
  recharge_reversed: P<'ref' | 'receiptNo'>;
  recharge_nothing_left: P<'receiptNo' | 'paidFen' | 'invoicedFen' | 'heldFen'>;
  invoice_amount_over: P<'askedFen' | 'leftFen'>;
  // invoices — checking, issuing, rejecting and reversing
  invoice_request_not_submitted: P<'requestId' | 'status'>;
  invoice_request_not_rejectable: P<'requestId' | 'status'>;
  invoice_already_issued: P<'requestId'>;
  invoice_not_checked: P<'requestId' | 'status'>;
  invoice_stale_version: P<'requestId' | 'seen' | 'now'>;
  invoice_four_eyes: P<'requestId' | 'user'>;
  invoice_issue_ordinary_only: P<'item'>;
  invoice_is_red: P<'serial'>;
  invoice_fully_reversed: P<'serial'>;
  invoice_reverse_exceeds: P<'serial' | 'amountFen' | 'leftFen' | 'grossFen' | 'reversedFen'>;
  recharge_invoiced: P<'receiptNo' | 'invoicedFen' | 'invoices'>;
  recharge_invoice_reserved: P<'receiptNo' | 'reservedFen'>;
  // invoices — the batch-import workbook's validation, one problem per cell (serial and column named beside)
  no_blue_invoices: P<never>;
  cell_required: P<never>;
  cell_special_needs_id: P<never>;
  cell_too_long: P<'max'>;
  cell_formula: P<never>;
  invoice_no_lines: P<never>;
  tax_code_invalid: P<'taxCode'>;
  cell_not_taxable_special: P<never>;
  // invoices — the tax platform's numbers file: rows refused alone, and a file refused whole
  numbers_no_serial: P<'line' | 'serial'>;
  numbers_has_number: P<'line' | 'serial' | 'number'>;
  numbers_taken: P<'line' | 'number' | 'serial'>;
  numbers_bad_serial: P<'line' | 'serial'>;
  numbers_bad_number: P<'line' | 'number'>;
  numbers_twice: P<'line' | 'serial'>;
  numbers_no_header: P<'file'>;
  numbers_no_rows: P<'file'>;
  numbers_bad_rows: P<'file' | 'count'>;
  // the border: a role that may not call a method (`allowed`: the roles that may, comma-separated)
  role_forbidden: P<'method' | 'role' | 'allowed'>;
  // coin movements (counter entry and the platform's events)
  amount_must_be_positive: P<never>;
  same_account: P<never>;
  different_customers: P<never>;
  from_account_not_linked: P<never>;
  to_account_not_linked: P<never>;
  exceeds_credits: P<never>;
  overflows_credits: P<never>;
  overflows_debits: P<never>;
  held_for_approval: P<never>;
  invoice_request_waiting_check: P<never>;
  // sessions and logins (device binding)
  unknown_session: P<'session'>;
  foreign_session: P<'session'>;
  blocked_session: P<'session' | 'cause'> & Verdict;
  login_blocked: P<'cause'> & Verdict;
  login_flagged: P<'cause'> & Verdict;
  no_address_registered: P<never>;
  no_registered_kind: P<never>;
  ip_mismatch: P<'ip'>;
  mac_mismatch: P<'mac'>;
  address_mismatch: P<'ip' | 'mac'>;
  // the platform's events
  unknown_customer: P<'customer'>;
  unknown_account: P<'field' | 'account'>;
  customer_exists: P<'customer'>;
  account_exists: P<'account'>;
  // periods (结账) and the business date every posting carries
  period_closed: P<'month'>;
  business_date_invalid: P<'date'>;
  line_in_closed_period: P<'line' | 'month'>;
  // ledger.reverse: a posting a business action made is undone by that action, a voucher by a red voucher
  undo_by_action: P<'transferId' | 'action'>;
  undo_by_red_voucher: P<'transferId' | 'voucher'>;
  // staff four eyes (issue 11 §2)
  staff_four_eyes: P<'changeId' | 'user'>;
  staff_newer_account: P<'changeId' | 'user'>;
  setting_newer_account: P<'changeId' | 'user'>;
  staff_change_decided: P<'changeId' | 'status'>;
  staff_change_waiting: P<'changeId' | 'user'>;
  staff_username_taken: P<'user'>;
  password_change_required: P<'user'>;
  password_not_new: P<'user'>;
  recover_wrong_key: P<'file'>;
  recover_not_admin: P<'user'>;
  recover_other_admins: P<'user' | 'admins'>;
  // a refusal from elsewhere that has no code of its own: the message is shown as sent
  other: P<'message'>;
}

export type RefusalCode = keyof RefusalParamsByCode;
export type RefusalParams<C extends RefusalCode = RefusalCode> = RefusalParamsByCode[C];

export interface Refusal<C extends RefusalCode = RefusalCode> {
  code: C;
  params: RefusalParams<C>;
  message: string;
}

/** English, with `{param}` placeholders (the renderer's English catalogue uses the same texts). */
export const REFUSAL_EN: { readonly [C in RefusalCode]: string } = {
  already_credited: 'request {requestId} was already credited',
  not_matched: 'request {requestId} is {status}: only a request fully covered by bank money is approved',
  stale_version: 'request {requestId} changed since you saw it (version {seen}, now {now}); look again',
  four_eyes: 'four eyes: {user} prepared request {requestId} (entered or matched it), so another approver must approve it',
  same_approver: '{user} already approved request {requestId}; a second, different approver is needed',
  no_coins: '{amountFen} yuan of request {requestId} buys no coins under conversion rule version {ruleVersion}',
  ledger_refused: 'refused by the ledger: {result}',
  not_found: 'no recharge request {ref}',
  second_approver_needed:
    'request {requestId} of {amountFen} yuan is above {thresholdFen} yuan: approval recorded; a second, different approver must approve it',
  not_rejectable: 'request {requestId} is {status} and cannot be rejected',
  already_reversed: 'recharge {receiptNo} was already reversed',
  four_eyes_reverse: 'four eyes: {user} approved {receiptNo}, so another approver must reverse it',
  shortfall_move_back:
    'cannot reverse {receiptNo}: account {account} holds {heldCoins} of the {creditedCoins} coins credited; move {shortCoins} coins back to it from a linked account first',
  coin_shortfall:
    "cannot reverse {receiptNo}: the customer's linked recharge wallets hold {heldCoins} of the {creditedCoins} coins credited: short by {shortCoins}",
  refund_paid: 'the refund of {receiptNo} was already paid by bank line {lineId}',
  line_not_money_out: 'bank line {lineId} is money in; a refund is paid by a money-out line',
  refund_amount_differs: 'bank line {lineId} paid out {lineFen}, but the refund of {receiptNo} is {refundFen}',
  line_pays_another_refund: 'bank line {lineId} already pays the refund of {receiptNo}',
  line_money_out: 'bank line {lineId} is money out; only money in pays a request',
  line_netted: 'bank line {lineId} is netted with its reversal (冲正) line {otherLineId}; it pays no request',
  line_is_reversal: "bank line {lineId} is a bank reversal (冲正), not a customer's payment",
  request_not_open: 'request {requestId} is {status}; only open requests take money',
  line_short: 'bank line {lineId} has only {leftFen} left to allocate',
  request_needs_less: 'request {requestId} needs only {needFen} more',
  allocation_not_active: 'allocation {allocationId} is {status}',
  cannot_unmatch: 'request {requestId} is {status}: it can no longer be unmatched',
  writeoff_not_partly_paid: 'request {requestId} is {status}: only a partly paid request has a difference to write off',
  writeoff_above_cap: 'amount: {amountFen} is above the write-off cap of {capFen}',
  writeoff_pending: 'a write-off for request {requestId} already waits for an approver',
  writeoff_not_proposed: 'write-off {allocationId} is {status}',
  four_eyes_writeoff: 'four eyes: {user} proposed this write-off, so another approver must decide it',
  writeoff_request_changed: 'request {requestId} changed since the write-off was proposed',
  match_proposal_waiting: 'a match of bank line {lineId} and request {requestId} already waits for a second person (proposal {proposalId})',
  unmatch_proposal_waiting:
    'an unmatch of bank line {lineId} and request {requestId} already waits for a second person (proposal {proposalId})',
  proposal_confirmed: 'match proposal {proposalId} was already confirmed',
  proposal_declined: 'match proposal {proposalId} was already declined',
  four_eyes_proposal: 'four eyes: {user} proposed this (proposal {proposalId}), so another staff user must confirm it',
  proposal_stale:
    'request {requestId} or bank line {lineId} changed since this was proposed (proposal {proposalId}; request version {seenVersion}, now {nowVersion}; line allocated {seenAllocatedFen}, now {nowAllocatedFen}): decline it and look again',
  decline_reason_required: 'reason: say why proposal {proposalId} is declined, in a few words',
  role_forbidden: '{method}: the {role} role may not do this (allowed: {allowed})',
  invoice_type_unknown: '普通发票 (ordinary) or 增值税专用发票 (special)',
  buyer_name_required: 'the buyer name (购买方名称) is required',
  text_too_long: '{length} characters; at most {max}',
  text_formula: 'may not begin with = + - or @ (a spreadsheet would take it as a formula)',
  text_control: 'contains control characters',
  taxpayer_id_required: 'a 增值税专用发票 needs the buyer’s taxpayer id (纳税人识别号)',
  taxpayer_id_chars: '"{id}" may hold only digits and capital letters',
  taxpayer_id_length: '"{id}" is {length} characters; a taxpayer id has 15, 18 or 20',
  taxpayer_id_check: '"{id}" is not a valid unified social credit code (its check character does not match)',
  natural_person_special: 'a natural person cannot receive a 增值税专用发票',
  phone_invalid: '"{phone}" is not a phone number (5–20 digits, spaces, dashes)',
  bank_account_invalid: 'a bank account number: digits, spaces and dashes, at most 50',
  email_invalid: '"{email}" is not an email address',
  invoice_ordinary_only: '{item} may only be invoiced on a 普通发票 (ordinary invoice), not a 增值税专用发票',
  recharge_unknown: 'no recharge {ref}',
  recharge_not_credited: 'recharge {ref} is {status}, not credited: only credited recharges are invoiced',
  recharge_other_customer: 'recharge {ref} ({receiptNo}) belongs to another customer',
  recharge_reversed: 'recharge {ref} ({receiptNo}) was reversed',
  recharge_nothing_left:
    'nothing is left to invoice on {receiptNo}: paid {paidFen}, invoiced {invoicedFen}, held by other requests {heldFen}',
  invoice_amount_over:
    '{askedFen} asked, but only {leftFen} of paid money is still invoiceable on the recharges named (bonus coins are never invoiced)',
  invoice_request_not_submitted: 'invoice request {requestId} is {status}, not waiting for a check',
  invoice_request_not_rejectable: 'invoice request {requestId} is {status}; only a submitted or checked request is rejected',
  invoice_already_issued: 'invoice request {requestId} was already issued',
  invoice_not_checked: 'invoice request {requestId} is {status}: only a checked request is issued',
  invoice_stale_version: 'invoice request {requestId} changed since you saw it (version {seen}, now {now}); look again',
  invoice_four_eyes: 'four eyes: {user} entered or checked invoice request {requestId}, so another approver must issue it',
  invoice_issue_ordinary_only: '{item} may only be invoiced on a 普通发票; reject the request and ask for an ordinary invoice',
  invoice_is_red: '{serial} is itself a red-letter invoice; reverse its original',
  invoice_fully_reversed: '{serial} was already reversed in full',
  invoice_reverse_exceeds: 'amount: {amountFen} is more than the {leftFen} left of {serial} ({grossFen} issued, {reversedFen} reversed)',
  recharge_invoiced:
    'cannot reverse {receiptNo}: {invoicedFen} of it is invoiced ({invoices}); reverse the invoice with a red-letter invoice first',
  recharge_invoice_reserved:
    'cannot reverse {receiptNo}: {reservedFen} of it is held by a checked invoice request; reject that request first',
  no_blue_invoices: 'no blue invoices match; nothing was written',
  cell_required: 'required',
  cell_special_needs_id: 'required on a 增值税专用发票',
  cell_too_long: 'longer than {max} characters',
  cell_formula: 'begins like a spreadsheet formula',
  invoice_no_lines: 'the invoice has no lines',
  tax_code_invalid: '"{taxCode}" is not 19 digits',
  cell_not_taxable_special: '不征税 lines go only on a 普通发票',
  numbers_no_serial: 'line {line}: no invoice with serial {serial}',
  numbers_has_number: 'line {line}: {serial} already has number {number}',
  numbers_taken: 'line {line}: number {number} already belongs to {serial}',
  numbers_bad_serial: 'line {line}, 发票流水号: "{serial}" is not a serial',
  numbers_bad_number: 'line {line}, 发票号码: "{number}" is not a 20-digit invoice number',
  numbers_twice: 'line {line}, 发票流水号: {serial} appears twice with different numbers',
  numbers_no_header: '{file}: no header row naming 发票流水号 and 发票号码 (serial and number)',
  numbers_no_rows: '{file}: no rows under the header',
  numbers_bad_rows: '{file}: {count} bad row(s), nothing was recorded',
  amount_must_be_positive: 'the amount must be a positive whole number of coins',
  same_account: 'an account cannot transfer to itself',
  different_customers: 'the accounts belong to different customers: coins never leave a link group',
  from_account_not_linked: 'the paying account is not in its customer’s link group',
  to_account_not_linked: 'the receiving account is not in its customer’s link group',
  exceeds_credits: 'the wallet does not hold enough coins',
  overflows_credits: 'the receiving wallet would overflow',
  overflows_debits: 'the amount is too large',
  held_for_approval: 'above the approval threshold: waits for an approver',
  invoice_request_waiting_check: 'recorded: waits for a check',
  unknown_session: 'session {session}: no login was recorded for it',
  foreign_session: 'session {session} belongs to another customer',
  blocked_session: 'session {session} belongs to a login that was blocked ({cause})',
  login_blocked: 'login blocked: {cause}',
  login_flagged: 'flagged for staff: {cause}',
  no_address_registered: 'no address is registered for this account',
  no_registered_kind: 'the login gave no address of a registered kind',
  ip_mismatch: 'IP {ip} is not the registered IP',
  mac_mismatch: 'MAC {mac} is not the registered MAC',
  address_mismatch: 'IP {ip} is not the registered IP; MAC {mac} is not the registered MAC',
  unknown_customer: 'customer: no customer {customer}',
  unknown_account: '{field}: no account {account}',
  customer_exists: 'customer {customer} is already registered',
  account_exists: 'account {account} already exists',
  period_closed: 'the period {month} is closed: it takes no posting',
  business_date_invalid: '"{date}" is not a business date (YYYY-MM-DD)',
  line_in_closed_period: 'line {line} is booked in {month}, a closed period; nothing was imported',
  undo_by_action: 'posting #{transferId} was made by a business action; undo it with that action: {action}',
  undo_by_red_voucher: 'posting #{transferId} belongs to voucher {voucher}; correct it with a red voucher that names it',
  // staff four eyes (issue 11 §2)
  staff_four_eyes: 'four eyes: {user} proposed staff change #{changeId}, so another admin must confirm or reject it',
  staff_newer_account:
    '{user} was created, given a password or made an admin after staff change #{changeId} was proposed, so cannot confirm it; another admin must',
  setting_newer_account:
    '{user} was created, given a password or made an admin after setting change #{changeId} was proposed, so cannot confirm it; another admin must',
  staff_change_decided: 'staff change #{changeId} was already {status}',
  staff_change_waiting: 'a change of this kind for {user} is already waiting for a second admin (#{changeId}); confirm or reject it first',
  staff_username_taken: 'the username {user} is taken',
  password_change_required: '{user} logged in with a one-time code: set a password of your own before anything else',
  password_not_new: '{user}: the new password must differ from the one-time code',
  recover_wrong_key: '{file} is not the key of these books; nothing was changed',
  recover_not_admin: '{user} is not an active admin of these books; recovery is for the sole admin',
  recover_other_admins: 'these books have other active admins ({admins}): ask one of them to reset the password of {user} (a second admin confirms)',
  other: '{message}',
};

export const REFUSAL_CODES = Object.keys(REFUSAL_EN) as RefusalCode[];

const CODES = new Set<string>(REFUSAL_CODES);
export function isRefusalCode(c: unknown): c is RefusalCode {
  return typeof c === 'string' && CODES.has(c);
}

/** The placeholders of a template, sorted: each catalogue's text for a code must use the same ones. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

/** Fills `{param}` from params, each formatted by `show(name, value)`. */
export function fillTemplate(template: string, params: Record<string, string>, show: (name: string, value: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? show(name, params[name]!) : m));
}

/** A parameter as files and logs show it: fen as yuan "1288.00", coins grouped, a cause as its text. */
export function plainParam(params: Record<string, string>) {
  return (name: string, value: string): string => {
    if (name.endsWith('Fen') && /^-?\d+$/.test(value)) return formatYuan(Number(value));
    if (name.endsWith('Coins') && /^-?\d+$/.test(value)) return formatCoins(Number(value));
    if (name === 'cause' && isRefusalCode(value)) return fillTemplate(REFUSAL_EN[value], params, plainParam({ ...params, cause: '' }));
    if ((name === 'ip' || name === 'mac') && value === '') return '—';
    return value;
  };
}

export function refusalMessage<C extends RefusalCode>(code: C, params: RefusalParams<C>): string {
  const p = params as Record<string, string>;
  return fillTemplate(REFUSAL_EN[code], p, plainParam(p));
}

export function refusal<C extends RefusalCode>(code: C, params: RefusalParams<C>): Refusal<C> {
  return { code, params, message: refusalMessage(code, params) };
}

/** The refusal as a CofferError: `details.reason` is the code, `details.params` its parameters. */
export function refuse<C extends RefusalCode>(
  errorCode: ErrorCode,
  code: C,
  params: RefusalParams<C>,
  details: Record<string, unknown> = {},
): CofferError {
  return new CofferError(errorCode, refusalMessage(code, params), { ...details, reason: code, params });
}

/** The refusal an error carries; one without a code of its own becomes `other` with its message. */
export function refusalOf(e: { message: string; details?: Record<string, unknown> }): Refusal {
  const d = e.details ?? {};
  if (isRefusalCode(d.reason) && d.params && typeof d.params === 'object')
    return { code: d.reason, params: d.params as RefusalParams, message: e.message };
  return { code: 'other', params: { message: e.message }, message: e.message };
}

/** A stored refusal back from its columns (reason_code, reason_params JSON, reason). */
export function storedRefusal(code: string | null, paramsJson: string | null, message: string): Refusal | null {
  if (code === null) return null;
  if (!isRefusalCode(code)) return { code: 'other', params: { message }, message };
  return { code, params: (paramsJson ? JSON.parse(paramsJson) : {}) as RefusalParams, message };
}

/** A row read with its reason_code AS reasonCode and reason_params AS reasonParams, given `why` instead. */
export function withWhy<T extends { reason: string; reasonCode: string | null; reasonParams: string | null }>(
  row: T,
): Omit<T, 'reasonCode' | 'reasonParams'> & { why: Refusal | null } {
  const { reasonCode, reasonParams, ...rest } = row;
  return { ...rest, why: storedRefusal(reasonCode, reasonParams, row.reason) };
}
