// Why a business rule refused an item, as a stable code with parameters. The English message is for
// the CLI, logs and the audit trail; the console translates by code through its message catalogue
// (renderer/src/i18n/refusals.*.ts), never by matching English text.
//
// Parameter names carry their unit: `…Fen` is an integer string of fen (shown as yuan), `…Coins` an
// integer string of whole coins; everything else is shown as it is. A parameter named `cause` holds
// another code (a login verdict), whose text the renderer fills in.
import { CofferError, type ErrorCode } from './errors';
import { formatCoins, formatYuan } from './money';
import { PROBLEM_EN } from './problems';
import { STATEMENT_PROBLEM_EN } from './statement-problems';
import type { TemplateParams } from './template-params';

/** A login verdict's own parameters, carried beside a `cause` that names the verdict. */
type Verdict = Partial<Record<'ip' | 'mac' | 'message', string>>;
type VerdictCode = 'blocked_session' | 'login_blocked' | 'login_flagged';

/** Each code's parameters, as its English template names them (a login verdict's carried beside). */
export type RefusalParamsByCode = {
  [C in keyof typeof REFUSAL_EN]: TemplateParams<(typeof REFUSAL_EN)[C]> & (C extends VerdictCode ? Verdict : unknown);
};
export type RefusalCode = keyof RefusalParamsByCode;
export type RefusalParams<C extends RefusalCode = RefusalCode> = RefusalParamsByCode[C];

export interface Refusal<C extends RefusalCode = RefusalCode> {
  code: C;
  params: RefusalParams<C>;
  message: string;
}

/**
 * English, with `{param}` placeholders (the renderer's English catalogue uses the same texts).
 * Business refusals here; problems (bad input, not found, conflicts, files) in problems.ts and a bank
 * file's problems in statement-problems.ts, merged in: one vocabulary of codes.
 */
export const REFUSAL_EN = {
  // approval (approvals.approve / approveAll)
  already_credited: 'request {requestId} was already credited',
  not_matched: 'request {requestId} is {status}: only a request fully covered by bank money is approved',
  stale_version: 'request {requestId} changed since you saw it (version {seen}, now {now}); look again',
  four_eyes: 'four eyes: {user} prepared request {requestId} (entered or matched it), so another approver must approve it',
  same_approver: '{user} already approved request {requestId}; a second, different approver is needed',
  no_coins: '{amountFen} yuan of request {requestId} buys no coins under conversion rule version {ruleVersion}',
  ledger_refused: 'refused by the ledger: {result}',
  not_found: 'no recharge request {ref}',
  // not a refusal: an approval recorded, waiting for a second, different approver
  second_approver_needed:
    'request {requestId} of {amountFen} yuan is above {thresholdFen} yuan: approval recorded; a second, different approver must approve it',
  // reject (requests.reject)
  not_rejectable: 'request {requestId} is {status} and cannot be rejected',
  // reversal (records.reverse)
  already_reversed: 'recharge {receiptNo} was already reversed',
  four_eyes_reverse: 'four eyes: {user} approved {receiptNo}, so another approver must reverse it',
  shortfall_move_back:
    'cannot reverse {receiptNo}: account {account} holds {heldCoins} of the {creditedCoins} coins credited; move {shortCoins} coins back to it from a linked account first',
  coin_shortfall:
    "cannot reverse {receiptNo}: the customer's linked recharge wallets hold {heldCoins} of the {creditedCoins} coins credited: short by {shortCoins}",
  // refunds: a money-out bank line matched to the refund a reversal left payable
  refund_paid: 'the refund of {receiptNo} was already paid by bank line {lineId}',
  line_not_money_out: 'bank line {lineId} is money in; a refund is paid by a money-out line',
  refund_amount_differs: 'bank line {lineId} paid out {lineFen}, but the refund of {receiptNo} is {refundFen}',
  line_pays_another_refund: 'bank line {lineId} already pays the refund of {receiptNo}',
  // matching by hand and by the rules, unmatching
  line_money_out: 'bank line {lineId} is money out; only money in pays a request',
  line_netted: 'bank line {lineId} is netted with its reversal (冲正) line {otherLineId}; it pays no request',
  line_is_reversal: "bank line {lineId} is a bank reversal (冲正), not a customer's payment",
  request_not_open: 'request {requestId} is {status}; only open requests take money',
  line_short: 'bank line {lineId} has only {leftFen} left to allocate',
  request_needs_less: 'request {requestId} needs only {needFen} more',
  allocation_not_active: 'allocation {allocationId} is {status}',
  cannot_unmatch: 'request {requestId} is {status}: it can no longer be unmatched',
  // write-off
  writeoff_not_partly_paid: 'request {requestId} is {status}: only a partly paid request has a difference to write off',
  writeoff_above_cap: 'amount: {amountFen} is above the write-off cap of {capFen}',
  writeoff_pending: 'a write-off for request {requestId} already waits for an approver',
  writeoff_not_proposed: 'write-off {allocationId} is {status}',
  four_eyes_writeoff: 'four eyes: {user} proposed this write-off, so another approver must decide it',
  writeoff_request_changed: 'request {requestId} changed since the write-off was proposed',
  // four eyes on matching: proposals a second person confirms or declines
  match_proposal_waiting: 'a match of bank line {lineId} and request {requestId} already waits for a second person (proposal {proposalId})',
  unmatch_proposal_waiting:
    'an unmatch of bank line {lineId} and request {requestId} already waits for a second person (proposal {proposalId})',
  proposal_confirmed: 'match proposal {proposalId} was already confirmed',
  proposal_declined: 'match proposal {proposalId} was already declined',
  four_eyes_proposal: 'four eyes: {user} proposed this (proposal {proposalId}), so another staff user must confirm it',
  proposal_stale:
    'request {requestId} or bank line {lineId} changed since this was proposed (proposal {proposalId}; request version {seenVersion}, now {nowVersion}; line allocated {seenAllocatedFen}, now {nowAllocatedFen}): decline it and look again',
  decline_reason_required: 'reason: say why proposal {proposalId} is declined, in a few words',
  // the border: a role that may not call a method (`allowed`: the roles that may, comma-separated)
  role_forbidden: '{method}: the {role} role may not do this (allowed: {allowed})',
  // invoices — the buyer check, one problem per field (the message is prefixed with the field's name)
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
  // invoices — the recharges and amount a request names
  recharge_unknown: 'no recharge {ref}',
  recharge_not_credited: 'recharge {ref} is {status}, not credited: only credited recharges are invoiced',
  recharge_other_customer: 'recharge {ref} ({receiptNo}) belongs to another customer',
  recharge_reversed: 'recharge {ref} ({receiptNo}) was reversed',
  recharge_nothing_left:
    'nothing is left to invoice on {receiptNo}: paid {paidFen}, invoiced {invoicedFen}, held by other requests {heldFen}',
  invoice_amount_over:
    '{askedFen} asked, but only {leftFen} of paid money is still invoiceable on the recharges named (bonus coins are never invoiced)',
  // invoices — checking, issuing, rejecting and reversing
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
  // invoices — the organisation buyer's taxpayer id, the red-letter invoice's 红字确认单, the export marks
  taxpayer_id_required_org: '{name} is an organisation: its taxpayer id (纳税人识别号) is needed on a 普通发票 too',
  red_blue_no_number:
    '{serial} has no 20-digit invoice number from the tax platform yet: import the numbers (发票号码) before reversing it',
  red_confirmation_no_required: 'confirmationNo: the number of the 红字确认单 (red-letter confirmation form) is required',
  red_confirmation_no_invalid: 'confirmationNo: "{number}" is not a 红字确认单 number (digits and letters, at most 40)',
  red_confirmation_used: 'confirmationNo: 红字确认单 {number} was already used by red-letter invoice {serial}',
  red_category_required: 'category: the reason category (开票有误 / 销货退回 / 服务中止 / 销售折让) is required',
  red_buyer_confirmation_required:
    'buyerConfirmed: {serial} is a 增值税专用发票; it is reversed only once the buyer has confirmed the 红字确认单',
  red_buyer_confirmed_date: 'buyerConfirmedOn: {date} is after today ({today})',
  export_skip_reversed: '{serial} is reversed in full by red-letter invoices: not exported',
  invoices_already_exported:
    '{count} invoice(s) were exported before ({serials}; export {exports}); nothing was written: export them again only with force',
  invoice_export_read_only: 'exporting invoices marks them as exported: open the books as a user (--as USER), not read-only',
  // invoices — the batch-import workbook's validation, one problem per cell (serial and column named beside)
  no_blue_invoices: 'no blue invoices match; nothing was written',
  cell_required: 'required',
  cell_special_needs_id: 'required on a 增值税专用发票',
  cell_too_long: 'longer than {max} characters',
  cell_formula: 'begins like a spreadsheet formula',
  invoice_no_lines: 'the invoice has no lines',
  tax_code_invalid: '"{taxCode}" is not 19 digits',
  cell_not_taxable_special: '不征税 lines go only on a 普通发票',
  // invoices — the tax platform's numbers file: rows refused alone, and a file refused whole
  numbers_no_serial: 'line {line}: no invoice with serial {serial}',
  numbers_has_number: 'line {line}: {serial} already has number {number}',
  numbers_taken: 'line {line}: number {number} already belongs to {serial}',
  numbers_bad_serial: 'line {line}, 发票流水号: "{serial}" is not a serial',
  numbers_bad_number: 'line {line}, 发票号码: "{number}" is not a 20-digit invoice number',
  numbers_twice: 'line {line}, 发票流水号: {serial} appears twice with different numbers',
  numbers_no_header: '{file}: no header row naming 发票流水号 and 发票号码 (serial and number)',
  numbers_no_rows: '{file}: no rows under the header',
  numbers_bad_rows: '{file}: {count} bad row(s), nothing was recorded',
  // coin movements (counter entry and the platform's events)
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
  // sessions and logins (device binding)
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
  // the platform's events
  unknown_customer: 'customer: no customer {customer}',
  unknown_account: '{field}: no account {account}',
  customer_exists: 'customer {customer} is already registered',
  account_exists: 'account {account} already exists',
  // periods (结账) and the business date every posting carries
  period_closed: 'the period {month} is closed: it takes no posting',
  business_date_invalid: '"{date}" is not a business date (YYYY-MM-DD)',
  line_in_closed_period: 'line {line} is booked in {month}, a closed period; nothing was imported',
  // ledger.reverse: a posting a business action made is undone by that action, a voucher by a red voucher
  undo_by_action: 'posting #{transferId} was made by a business action; undo it with that action: {action}',
  undo_by_red_voucher: 'posting #{transferId} belongs to voucher {voucher}; correct it with a red voucher that names it',
  // imports (issue 11 §3)
  statement_currency: '{file}: the statement is in {currency} but bank account {account} is {bankCurrency} ({place}); nothing was imported',
  amount_too_large: '{file}: line {line}, field {field}: {amount} is too large for the books; nothing was imported',
  statement_already_imported: '{file} was already imported on {on} by {by} (statement #{statementId}); nothing was booked',
  event_text_nul: 'the text holds a NUL character, which Coffer does not store',
  event_text_surrogate: 'the text holds a broken character (a lone UTF-16 surrogate {code}), not a character',
  books_busy: 'the books are busy with {job}; try again in a moment',
  // the chart of accounts (科目): adding, renaming, and remapping a ledger account (four eyes)
  unknown_subject: 'no subject {code} in the chart of accounts',
  subject_code_invalid: '"{code}" is not a subject code: four digits, then two digits a level',
  subject_code_required: 'a first-level subject needs its four-digit code',
  subject_not_child: 'code {code} is not a sub-account code of {parent} (its code and two more digits)',
  subject_code_class: 'code {code} does not fit the type: 1… assets, 2… liabilities, 4… equity, 6… revenue and expenses',
  subject_exists: 'subject {code} already exists',
  subject_type_mismatch: 'subject {code} is not of the same type as {other}',
  subjects_full: 'subject {parent} has no free sub-account code left',
  subject_in_use: 'subject {code} has postings or a ledger account of its own ({account}): it cannot get sub-accounts',
  subject_not_leaf: 'subject {code} has sub-accounts: ledger accounts post only to the lowest level',
  unknown_ledger_account: 'no CNY ledger account {accountId}',
  remap_same: '{account} is already mapped to {code}',
  remap_pending: 'a change of {account} waits for confirmation already (#{change})',
  unknown_chart_change: 'no chart change #{change}',
  chart_change_decided: 'chart change #{change} was decided already',
  own_chart_change: 'four eyes: you proposed chart change #{change}, so another admin must confirm or reject it',
  remap_stale: 'chart change #{change} is out of date: the account moved from {code} to {now} since it was proposed',
  // period close (结账): periods.close / confirm / reopen / confirmReopen
  period_checks_failed: '{month} cannot be closed: these checks do not pass: {checks}',
  period_not_closing: '{month} is not waiting for a close to be confirmed',
  four_eyes_period: 'four eyes: {user} closed {month}, so another person confirms it',
  period_not_closed: '{month} is open: only a closed month is reopened',
  period_reopen_pending: 'reopening {month} was already requested by {user}; another admin confirms it',
  period_no_reopen_request: 'nobody has asked to reopen {month}: an admin asks first, with the reason',
  period_later_closed: '{month} cannot be reopened while {later} is closed: reopen the later month first',
  // vouchers (记账凭证): preparing, reviewing (four eyes) and red vouchers
  voucher_not_found: 'no voucher {ref}',
  voucher_too_few_lines: 'a voucher needs at least two lines (a debit and a credit); it has {count}',
  voucher_line_summary: 'line {line}: the summary (摘要) is required',
  voucher_line_amount: 'line {line}: give either a debit or a credit amount above zero, not both',
  voucher_line_no_account: 'line {line}: {ref} is not an account of the chart (a CNY ledger account with a 科目编码)',
  voucher_line_not_leaf: 'line {line}: {code} has sub-accounts; a voucher posts to the lowest level only',
  voucher_unbalanced: 'debits {debitFen} and credits {creditFen} differ by {differenceFen}; a voucher must balance',
  voucher_four_eyes: 'four eyes: {user} prepared voucher {voucher}, so another approver must review it',
  voucher_reviewed: 'voucher {voucher} was already reviewed; look again',
  voucher_not_posted: 'voucher {voucher} is not posted: only a posted voucher is corrected by a red voucher',
  voucher_already_reversed: 'voucher {voucher} already has the red voucher {red}',
  voucher_is_red: 'voucher {voucher} is itself a red voucher; it is not reversed again',
  voucher_automatic: 'voucher {voucher} was made by a business action; undo it with that action: {action}',
  // honest amounts: write-off kinds, unallocated money (refund, 待查), money-out lines (classify, chargeback)
  refund_not_payable: 'the refund {receiptNo} is {status}: only a payable refund is paid by a bank line',
  refund_not_proposed: 'the refund {receiptNo} is {status}: it was decided already',
  four_eyes_refund: 'four eyes: {user} proposed this refund, so another approver must decide it',
  unallocated_short: 'bank line {lineId} has {leftFen} unallocated (less what waits for approval); {askedFen} was asked',
  investigation_short: 'bank line {lineId} has {leftFen} in 待查 (less refunds already asked); {askedFen} was asked',
  unallocated_changed: 'bank line {lineId} changed since this was proposed: {leftFen} is left unallocated, {askedFen} was asked',
  reclassify_too_young: 'bank line {lineId} is {ageDays} days old; unallocated money is reclassified to 待查 after {minDays} days',
  nothing_unallocated: 'bank line {lineId} has no unallocated money left (or all of it waits for approval)',
  line_action_not_proposed: 'item {actionId} is {status}: it was decided already',
  four_eyes_line_action: 'four eyes: {user} proposed this, so another approver must decide it',
  line_pays_refund: 'bank line {lineId} pays a refund; it is explained already',
  line_explained: 'bank line {lineId} is already classified (or waits for approval of its classification)',
  line_changed: 'bank line {lineId} changed since this was proposed',
  classify_account_not_allowed:
    'account {subject} cannot explain a payment: choose a leaf expense or other account (not bank, suspense, prepayments, unallocated receipts or refunds payable)',
  chargeback_amount_differs: 'bank line {lineId} took back {lineFen}, but recharge {receiptNo} received {recordFen}',
  chargeback_booked: 'a chargeback of recharge {receiptNo} is already booked',
  chargeback_coins_held:
    'the customer of {receiptNo} still holds {heldCoins} coins of the {creditedCoins} credited: reverse the recharge instead, and match this line to its refund',
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
  recover_other_admins:
    'these books have other active admins ({admins}): ask one of them to reset the password of {user} (a second admin confirms)',
  monthly_setting_month_done:
    '{key} changes from the first day of an open month with no revenue run: {month} is {state}, and the revenue run of {runMonth} is posted',
  revenue_run_exists: 'the revenue of {month} was recognised by run #{runId} and nothing changed since; reopen the month to run it again',
  revenue_month_not_ended: 'the revenue run of {month} can run from its last day ({lastDay}) on',
  revenue_previous_month: 'run the revenue of {previous} first: months are recognised in order before {month}',
  revenue_period_closed: '{month} is {state}: its revenue run can only run again after the month is reopened',
  revenue_account_missing: 'the books have no ledger account on subject {subject} for the revenue run',
  // the month-end pack (issue 12 §3)
  month_end_pack_checks:
    '{count} of the close checks of {month} do not pass (coffer period status shows them): the month-end pack is made once every check passes',
  // vouchers for the general ledger (issue 12 §4): the subject mapping, loaded templates, exports
  gl_map_unknown_subject: 'the GL mapping names {code}, which is not a subject of the chart',
  gl_map_not_leaf: 'the GL mapping names {code}, which has sub-accounts: map its lowest-level subjects (vouchers post only to those)',
  gl_map_duplicate: 'the GL mapping names {code} twice',
  gl_map_target_invalid:
    'the GL code for {code} is "{target}": give the GL\'s 科目代码 (letters or digits, groups joined by . or -, at most 40 characters)',
  gl_map_type_conflict: 'the GL mapping puts {first} and {second}, subjects of different types, on one GL code {target}',
  gl_template_unreadable: 'the template {file} cannot be read: {problem}',
  gl_template_column_missing: 'the {format} template has no column {column}, which the import needs',
  gl_no_vouchers: 'no posted vouchers in {month} to export',
  gl_exported_before:
    '{count} voucher(s) of {month} were exported before ({vouchers}; {exports}): an admin or approver may export them again with force',
  gl_force_role: '{user} ({role}) may not force a second export: an admin or approver may',
  gl_voucher_unbalanced: 'voucher {voucher} would leave with debits {debitFen} and credits {creditFen}; nothing was written',
  // creators' earnings and payouts (收益提现)
  payout_wallet_short: 'the earnings wallet of account {account} holds {heldCoins} coins free; {askedCoins} were asked',
  payout_not_requested: 'payout #{payoutId} is {status}: only a requested payout is approved or rejected',
  four_eyes_payout: 'four eyes: {user} entered payout #{payoutId}, so another approver must decide it',
  payout_not_payable: 'payout #{payoutId} is {status}: only an approved payout is paid by a bank line',
  payout_amount_differs: 'bank line {lineId} paid out {lineFen}, but the net pay of payout #{payoutId} is {netFen}',
  line_pays_payout: 'bank line {lineId} already pays payout #{payoutId}',
  earnings_cost_subject:
    'the cost subject {subject} for creators’ earnings (setting earnings.costSubject) is not a leaf subject with a ledger account',
  // a refusal from elsewhere that has no code of its own: the message is shown as sent
  other: '{message}',
  ...PROBLEM_EN,
  ...STATEMENT_PROBLEM_EN,
} as const satisfies Readonly<Record<string, string>>;

export const REFUSAL_CODES = Object.keys(REFUSAL_EN) as RefusalCode[];

const CODES = new Set<string>(REFUSAL_CODES);
export function isRefusalCode(c: unknown): c is RefusalCode {
  return typeof c === 'string' && CODES.has(c);
}

/**
 * A blank in a template: `{name}`, the value; or `{name|one|other}`, the value and the words that agree
 * with it, for English: "{n|row|rows}" says "1 row" and "2 rows".
 */
const BLANK = /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/** The placeholders of a template, sorted: each catalogue's text for a code must use the same ones. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(BLANK)].map((m) => m[1]!))].sort();
}

/** Fills each blank from params, its value formatted by `show(name, value)`. */
export function fillTemplate(template: string, params: Record<string, string>, show: (name: string, value: string) => string): string {
  return template.replace(BLANK, (m, name: string, one?: string, other?: string) => {
    if (!(name in params)) return m;
    const value = params[name]!;
    const shown = show(name, value);
    return one === undefined ? shown : `${shown} ${Number(value) === 1 ? one : other}`;
  });
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

/**
 * The refusal as a CofferError: `details.reason` is the code, `details.params` its parameters. The
 * message is the catalogue's English; `around` adds context only the CLI and logs need (the method
 * called, the first of a file's problems) before or after it.
 */
export function refuse<C extends RefusalCode>(
  errorCode: ErrorCode,
  code: C,
  params: RefusalParams<C>,
  details: Record<string, unknown> = {},
  around: { prefix?: string; suffix?: string } = {},
): CofferError {
  const message = `${around.prefix ?? ''}${refusalMessage(code, params)}${around.suffix ?? ''}`;
  return new CofferError(errorCode, message, { ...details, reason: code, params });
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
