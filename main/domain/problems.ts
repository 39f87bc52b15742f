// Problems: the errors that are not a business rule's refusal — bad input, a thing not found, a
// conflict with what is there, a file that cannot be read, a session that ended. They share the
// refusal catalogue (refusals.ts merges these in): one vocabulary of codes with parameters, one way to
// throw (`refuse`), one way the console translates (renderer/src/i18n/refusal-text.ts). They live in a
// file of their own only to keep each catalogue readable.
//
// The same naming rules hold: `…Fen` is fen (shown as yuan), `…Coins` whole coins, `field` a field
// of Coffer's input (the console shows its name, not the key), `cause` another code whose text is
// filled in with the same parameters.

type P<K extends string> = Record<K, string>;

export interface ProblemParamsByCode {
  // input read by a schema (input-problems.ts): the field is named beside these, never inside them
  input_field: P<'field' | 'cause'>;
  input_required: P<never>;
  input_empty: P<never>;
  input_not_text: P<never>;
  input_not_number: P<never>;
  input_not_whole: P<never>;
  input_not_boolean: P<never>;
  input_not_list: P<never>;
  input_not_object: P<never>;
  input_wrong_type: P<never>;
  input_too_short: P<'min'>;
  input_too_long: P<'max'>;
  input_too_small: P<'min'>;
  input_too_large: P<'max'>;
  input_not_above: P<'min'>;
  input_not_below: P<'max'>;
  input_too_few: P<'min'>;
  input_too_many: P<'max'>;
  input_email: P<never>;
  input_datetime: P<never>;
  input_date: P<never>;
  input_format: P<never>;
  input_one_of: P<'values'>;
  input_unknown_fields: P<'keys'>;
  input_invalid: P<never>;
  // a schema's own words for a field (`says('…')` in the schema)
  username_chars: P<never>;
  minor_units: P<never>;
  out_of_range: P<never>;
  ledger_id: P<never>;
  reason_too_short: P<never>;
  reject_reason_required: P<never>;
  tax_code_digits: P<never>;
  subject_code_digits: P<never>;
  date_format: P<never>;
  summary_required: P<never>;
  coins_digits: P<never>;
  ref_chars: P<never>;
  event_id_chars: P<never>;
  phone_format: P<never>;
  coins_as_digits: P<never>;
  coins_positive: P<never>;
  ip_format: P<never>;
  mac_format: P<never>;
  yuan_format: P<never>;
  yuan_positive: P<never>;
  bank_number_format: P<never>;
  ip_or_mac_required: P<never>;
  reference_code_format: P<never>;
  id_resident_format: P<never>;
  id_resident_check: P<never>;
  id_number_format: P<never>;
  ledger_needs_subject: P<never>;
  journal_needs_bank: P<never>;
  subject_or_account: P<never>;
  rate_below_100: P<never>;
  not_taxable_rate: P<never>;
  subject_code_levels: P<never>;
  setting_value_size: P<never>;
  month_format: P<never>;
  voucher_id_or_name: P<never>;
  account_or_subject: P<never>;
  yuan_amount: P<never>;
  match_rule_condition: P<never>;
  match_rule_automatic: P<never>;
  field_path: P<never>;
  too_many_labels: P<never>;
  search_text_short: P<never>;
  // the border and the session
  unknown_method: P<'method'>;
  not_logged_in: P<never>;
  session_idle: P<'minutes'>;
  session_expired: P<'hours'>;
  screen_locked: P<never>;
  wrong_login: P<never>;
  wrong_password: P<never>;
  wrong_current_password: P<never>;
  staff_locked_out: P<'user' | 'until'>;
  staff_disabled: P<'user'>;
  job_not_found: P<'jobId'>;
  job_cancelled: P<never>;
  no_file_chosen: P<never>;
  file_not_chosen: P<never>;
  file_too_large: P<'file' | 'maxMiB'>;
  file_changed_since_preview: P<'file'>;
  books_rule_refused: P<'detail'>;
  books_write_failed: P<'sqlite'>;
  books_not_open: P<never>;
  core_ended: P<'detail'>;
  unexpected_error: P<'detail'>;
  books_file_not_found: P<'path'>;
  books_file_not_a_books_file: P<'path'>;
  books_file_newer_version: P<'path'>;
  books_file_corrupt: P<'path'>;
  books_file_in_use: P<'path'>;
  // things asked for by their id that are not there
  record_not_found: P<'ref'>;
  bank_account_not_found: P<'ref'>;
  bank_line_not_found: P<'lineId'>;
  customer_not_found: P<'customer'>;
  coin_movement_not_found: P<'ref'>;
  rebind_not_found: P<'ref'>;
  refund_not_found: P<'ref'>;
  staff_not_found: P<'ref'>;
  payout_not_found: P<'payoutId'>;
  proposal_not_found: P<'proposalId'>;
  allocation_not_found: P<'allocationId'>;
  writeoff_not_found: P<'allocationId'>;
  invoice_request_not_found: P<'ref'>;
  invoice_not_found: P<'ref'>;
  transfer_not_found: P<'transferId'>;
  setting_change_not_found: P<'changeId'>;
  staff_change_not_found: P<'changeId'>;
  revenue_run_not_found: P<'runId'>;
  line_action_not_found: P<'actionId'>;
  rule_version_not_found: P<'version'>;
  no_review_results: P<never>;
  // values a service checks
  month_invalid: P<'month'>;
  date_invalid: P<'field' | 'date'>;
  amount_not_positive: P<never>;
  ip_invalid: P<'ip'>;
  mac_invalid: P<'mac'>;
  ip_or_mac_missing: P<never>;
  bank_number_invalid: P<'number'>;
  bank_number_digits: P<'number'>;
  password_too_short: P<'min'>;
  password_too_short_new: P<'min' | 'length'>;
  report_field_required: P<'field'>;
  subject_type_required: P<never>;
  subject_or_account_required: P<never>;
  voucher_word_invalid: P<'word'>;
  red_category_invalid: P<'category' | 'categories'>;
  writeoff_kind: P<never>;
  writeoff_all_or_none: P<'differenceFen'>;
  transfer_reject_note: P<never>;
  reopen_reason_required: P<never>;
  account_or_customer: P<never>;
  recharges_required: P<never>;
  session_needs_account: P<never>;
  ledger_unknown: P<'ledger'>;
  setting_invalid: P<'key' | 'cause'>;
  setting_field_invalid: P<'key' | 'field' | 'cause'>;
  effective_month_start: P<'key'>;
  effective_in_past: P<never>;
  // the same request again, with other content; things already there or already decided
  request_other_content: P<'requestId'>;
  invoice_request_other_content: P<'requestId'>;
  payout_other_content: P<'requestId'>;
  bank_account_exists: P<'number'>;
  username_taken: P<'user'>;
  first_admin_exists: P<never>;
  own_admin_role: P<never>;
  last_admin: P<never>;
  session_has_login: P<'session'>;
  already_bound: P<'number'>;
  not_bound: P<'number'>;
  payer_not_bound: P<'payer' | 'account' | 'date'>;
  reference_code_in_use: P<'code' | 'requestId'>;
  account_other_customer: P<'account'>;
  rebind_address_invalid: P<'address' | 'kind'>;
  rebind_waiting: P<'kind'>;
  rebind_decided: P<'ref' | 'status'>;
  four_eyes_rebind: P<'user'>;
  transfer_not_held: P<'requestId' | 'status'>;
  four_eyes_transfer: P<'user'>;
  held_post_failed: P<'result'>;
  held_void_failed: P<'result'>;
  transfer_refused: P<'key' | 'result'>;
  setting_change_decided: P<'changeId' | 'status'>;
  four_eyes_setting: P<'user'>;
  proposal_needs_staff: P<never>;
  line_not_reversal: P<'lineId'>;
  line_already_netted: P<'lineId' | 'otherLineId'>;
  line_cannot_net: P<'lineId' | 'note'>;
  line_changed_during_run: P<'lineId'>;
  request_changed_during_run: P<'requestId'>;
  account_unmapped: P<'code'>;
  backup_changed: P<never>;
  demo_books_not_empty: P<never>;
  // bank accounts and statements
  statement_other_account: P<'account' | 'number' | 'bank'>;
  statement_account_unknown: P<'account'>;
  statement_account_unnamed: P<never>;
  statement_amount_invalid: P<'file' | 'line' | 'field' | 'amount'>;
  bank_ref_repeated: P<'line' | 'ref' | 'earlier'>;
  statement_too_large: P<'file' | 'sizeMiB'>;
  continuity_confirm: P<'file' | 'cause'>;
  // the platform's event files: a file refused whole, and each line's problem
  event_file_refused: P<'file' | 'count'>;
  event_file_empty: P<never>;
  event_file_no_events: P<never>;
  event_line_too_long: P<'max'>;
  event_line_not_utf8: P<never>;
  event_line_not_json: P<'detail'>;
  event_line_json_array: P<'detail'>;
  event_line_not_object: P<never>;
  event_line_is_array: P<never>;
  event_id_repeated: P<'id' | 'firstLine'>;
  event_imported_other: P<'id'>;
  // invoices: the loaded template, the export's problems, the numbers file
  template_not_xlsx: P<'detail'>;
  template_not_batch: P<'cause'>;
  template_no_longer_reads: P<'file' | 'cause'>;
  template_no_sheet: P<'sheet'>;
  template_first_header: P<'sheet' | 'header'>;
  template_no_column: P<'sheet' | 'column'>;
  export_problems: P<'count'>;
  numbers_unreadable: P<'file' | 'detail'>;
  // backups and witnesses
  backup_integrity: P<'detail'>;
  backup_empty: P<'file'>;
  backup_file_integrity: P<'file' | 'detail'>;
  backup_chain_broken: P<'file' | 'detail'>;
  witness_unreadable: P<'file' | 'detail'>;
  witness_missing: P<'file'>;
  // printing
  no_printer: P<never>;
  no_chromium: P<never>;
  // the CLI (English only; coded all the same)
  cli_bank_account_unknown: P<'text'>;
  cli_account_unknown: P<'text' | 'accounts'>;
  init_has_staff: P<'file' | 'count'>;
  books_have_staff: P<'file'>;
  demo_has_staff: P<'file' | 'count'>;
  demo_books_have_staff: P<'file'>;
  demo_customers_range: P<'max' | 'got'>;
  demo_seed_range: P<'got'>;
  event_file_missing: P<'file'>;
  statement_file_missing: P<'file'>;
  schema_files_exist: P<'path'>;
  file_exists_force: P<'path'>;
  folder_missing: P<'folder'>;
  books_version_old: P<'file' | 'version' | 'latest'>;
  voucher_file_missing: P<'file'>;
  voucher_file_not_json: P<'file' | 'detail'>;
  voucher_file_bad: P<'file' | 'where' | 'what'>;
  // books on PostgreSQL (coffer books copy)
  postgres_not_empty: P<'target'>;
  postgres_unreachable: P<'target' | 'detail'>;
  books_copy_differs: P<'differences'>;
  books_copy_direction: P<never>;
  books_file_needed: P<'command'>;
  books_copy_target_exists: P<'path'>;
  postgres_not_books: P<'target'>;
  postgres_books_version: P<'target' | 'version' | 'latest'>;
  // coffer serve: the API over HTTP (main/serve)
  session_token_unknown: P<never>;
  origin_refused: P<'origin'>;
  request_too_large: P<'maxBytes'>;
  request_not_json: P<never>;
  upload_too_large: P<'maxBytes'>;
  upload_not_found: P<never>;
  download_not_found: P<never>;
  login_rate_limited: P<'seconds'>;
  api_route_unknown: P<'path'>;
  serve_needs_tls: P<'host'>;
  serve_needs_staff: P<'path'>;
  serve_listen_format: P<'text'>;
  serve_tls_pair: P<never>;
  // shared books: the desktop opening a coffer serve by its address
  server_address_invalid: P<'text'>;
  server_needs_https: P<'host'>;
  server_unreachable: P<'address' | 'detail'>;
  server_certificate_changed: P<'address' | 'was' | 'now'>;
}

export const PROBLEM_EN = {
  input_field: '{field}: {cause}',
  input_required: 'required',
  input_empty: 'must not be empty',
  input_not_text: 'must be text',
  input_not_number: 'must be a number',
  input_not_whole: 'must be a whole number',
  input_not_boolean: 'must be true or false',
  input_not_list: 'must be a list',
  input_not_object: 'must be an object with fields',
  input_wrong_type: 'has the wrong type',
  input_too_short: 'at least {min} characters',
  input_too_long: 'at most {max} characters',
  input_too_small: 'at least {min}',
  input_too_large: 'at most {max}',
  input_not_above: 'must be more than {min}',
  input_not_below: 'must be less than {max}',
  input_too_few: 'at least {min} item(s)',
  input_too_many: 'at most {max} items',
  input_email: 'not an email address',
  input_datetime: 'not a date and time with its offset (e.g. 2026-11-20T09:00:00+08:00)',
  input_date: 'not a date (YYYY-MM-DD)',
  input_format: 'not in the expected format',
  input_one_of: 'must be one of {values}',
  input_unknown_fields: 'unknown field(s): {keys}',
  input_invalid: 'not valid',
  username_chars: 'letters, digits, dot, underscore or hyphen only',
  minor_units: 'an integer amount in minor units (fen or coins), as a string',
  out_of_range: 'out of range',
  ledger_id: 'ledger 1 (CNY), 2 (recharge coins) or 3 (earnings coins)',
  reason_too_short: 'say why, in a few words',
  reject_reason_required: 'say why it is rejected, in a few words',
  tax_code_digits: 'a tax classification code of 19 digits',
  subject_code_digits: 'a 科目编码 (subject code) of 4 to 12 digits',
  date_format: 'a date, YYYY-MM-DD',
  summary_required: 'the summary (摘要) is required',
  coins_digits: 'a positive whole number of coins, as digits',
  ref_chars: 'letters, digits, _ : - only',
  event_id_chars: 'letters, digits and . _ : - only',
  phone_format: 'a phone number',
  coins_as_digits: 'whole coins as digits',
  coins_positive: 'a positive whole number of coins',
  ip_format: 'not a valid IPv4 or IPv6 address',
  mac_format: 'not a valid MAC address',
  yuan_format: 'an amount in yuan as a decimal string, e.g. "1288.00"',
  yuan_positive: 'more than 0.00',
  bank_number_format: 'a bank account number: 4 to 40 digits (spaces and dashes allowed)',
  ip_or_mac_required: 'give the ip or the mac address used (or both)',
  reference_code_format: '6 to 12 letters or digits',
  id_resident_format: 'a resident ID number: 17 digits and a check digit or X',
  id_resident_check: 'the resident ID number’s check digit is wrong',
  id_number_format: 'an ID number: 5 to 30 letters or digits',
  ledger_needs_subject: 'the 明细账 needs a subject code',
  journal_needs_bank: 'the bank journal needs a bank account',
  subject_or_account: 'give a subject code or an account id',
  rate_below_100: 'a rate below 100 %',
  not_taxable_rate: '不征税 (not taxable) needs rate 0',
  subject_code_levels: 'a subject code (科目编码)',
  setting_value_size: 'a value (at most 20,000 characters of JSON)',
  month_format: 'a month, YYYY-MM',
  voucher_id_or_name: 'give the voucher id or its name (记-2026-11-0001), not both',
  account_or_subject: 'give the account id or its 科目编码, not both',
  yuan_amount: 'yuan, e.g. 1288.00',
  match_rule_condition: 'a rule needs a reference-code or payer-account condition, or an exact amount',
  match_rule_automatic: 'only a rule with a reference-code or payer-account condition may match automatically',
  field_path: 'a field name, or field names joined by dots',
  too_many_labels: 'at most 60 words for the values of one column',
  search_text_short: 'type at least 2 characters of a number',
  unknown_method: 'unknown method "{method}"',
  not_logged_in: 'log in first',
  session_idle: 'your session ended after {minutes} minutes without use; log in again',
  session_expired: 'your session ended {hours} hours after you logged in, however busy it was; log in again',
  screen_locked: 'the console is locked; unlock it with your password',
  wrong_login: 'wrong username or password',
  wrong_password: 'wrong password',
  wrong_current_password: 'current password: wrong password',
  staff_locked_out:
    'user {user} is locked after too many failed logins until {until}; it unlocks by itself then (or earlier by an unlock two admins confirm)',
  staff_disabled: 'user {user} is disabled',
  job_not_found: 'no running job {jobId} of yours',
  job_cancelled: 'cancelled by the user; nothing was written',
  no_file_chosen: 'no file was chosen',
  file_not_chosen: 'that file was not chosen in this window; choose it again',
  file_too_large: '{file} is over {maxMiB} MiB',
  file_changed_since_preview: '{file} changed since its preview; preview it again',
  books_rule_refused: "refused by the books' rules: {detail}",
  books_write_failed: 'the books file could not be written ({sqlite}); nothing was saved',
  books_not_open: 'the books are not open yet',
  core_ended: 'the process that keeps the books ended ({detail}); restart Coffer — what was committed is kept',
  unexpected_error: 'unexpected error: {detail}',
  books_file_not_found: 'No books file at {path}.',
  books_file_not_a_books_file: '{path} is not a Coffer books file.',
  books_file_newer_version: '{path} was written by a newer Coffer; this one cannot read it.',
  books_file_corrupt: '{path} is damaged and cannot be read.',
  books_file_in_use: '{path} is open in another Coffer.',
  record_not_found: 'no recharge record {ref}',
  bank_account_not_found: 'no platform bank account {ref}',
  bank_line_not_found: 'no bank line {lineId}',
  customer_not_found: 'no customer {customer}',
  coin_movement_not_found: 'no coin movement {ref}',
  rebind_not_found: 'no re-bind request {ref}',
  refund_not_found: 'no refund {ref}',
  staff_not_found: 'no staff user {ref}',
  payout_not_found: 'no payout {payoutId}',
  proposal_not_found: 'no match proposal {proposalId}',
  allocation_not_found: 'no allocation {allocationId}',
  writeoff_not_found: 'no write-off {allocationId}',
  invoice_request_not_found: 'no invoice request {ref}',
  invoice_not_found: 'no invoice {ref}',
  transfer_not_found: 'no transfer {transferId}',
  setting_change_not_found: 'no setting change {changeId}',
  staff_change_not_found: 'no staff change {changeId}',
  revenue_run_not_found: 'no revenue run {runId}',
  line_action_not_found: 'no bank line action {actionId}',
  rule_version_not_found: 'no conversion rule version {version}',
  no_review_results: 'there are no review results waiting to be sent',
  month_invalid: 'month: "{month}" is not a month (YYYY-MM)',
  date_invalid: '{field}: "{date}" is not a date (YYYY-MM-DD)',
  amount_not_positive: 'amount: must be more than 0.00',
  ip_invalid: 'ip: "{ip}" is not a valid IP address',
  mac_invalid: 'mac: "{mac}" is not a valid MAC address',
  ip_or_mac_missing: 'ip/mac: registration must record the IP or MAC address used',
  bank_number_invalid: 'accountNumber: "{number}" is not a bank account number',
  bank_number_digits: 'account_number: "{number}" is not a bank account number (4 to 40 digits)',
  password_too_short: 'password: at least {min} characters',
  password_too_short_new: 'password: at least {min} characters (got {length}); nothing was created',
  report_field_required: '{field}: required for this report',
  subject_type_required: 'type: a first-level subject needs its type',
  subject_or_account_required: 'give a subject code or a ledger account id',
  voucher_word_invalid: 'word: 记, 收, 付 or 转, not "{word}"',
  red_category_invalid: 'category: "{category}" is not one of {categories}',
  writeoff_kind: 'kind: fee or short',
  writeoff_all_or_none: 'amount: the difference is {differenceFen}; write off all of it or none',
  transfer_reject_note: 'note: say why the transfer is rejected',
  reopen_reason_required: 'reason: say why the month is reopened',
  account_or_customer: 'account: name the account or the customer',
  recharges_required: 'recharges: name at least one recharge',
  session_needs_account: 'session: a session needs the account it belongs to',
  ledger_unknown: 'unknown ledger {ledger}',
  setting_invalid: 'value: not a valid {key}: {cause}',
  setting_field_invalid: 'value: not a valid {key}: {field}: {cause}',
  effective_month_start: 'effectiveFrom: {key} changes from the first day of a month (00:00 Asia/Shanghai)',
  effective_in_past: 'effectiveFrom: a change cannot take effect in the past',
  request_other_content: 'request {requestId} was already recorded with other content',
  invoice_request_other_content: 'invoice request {requestId} was already recorded with other content',
  payout_other_content: 'payout request {requestId} was already recorded with other content',
  bank_account_exists: 'bank account {number} is already set up',
  username_taken: 'username "{user}" is taken',
  first_admin_exists: 'these books already have staff users; log in instead',
  own_admin_role: 'you cannot remove your own admin role or disable yourself; ask another admin',
  last_admin: 'the books must keep at least one active admin',
  session_has_login: 'session {session} already has a login',
  already_bound: 'bank account {number} is already bound to this account',
  not_bound: 'bank account {number} is not bound to this account',
  payer_not_bound: 'payer_account: bank account {payer} was not bound to account {account} at {date}',
  reference_code_in_use: 'reference_code: {code} is already used by open request {requestId}',
  account_other_customer: "account {account} belongs to another customer: a link group holds one customer's accounts",
  rebind_address_invalid: 'address: "{address}" is not a valid {kind} address',
  rebind_waiting: "a re-bind of this account's {kind} is already waiting for an approver",
  rebind_decided: 're-bind request {ref} was already {status}',
  four_eyes_rebind: 'four eyes: {user} asked for this re-bind, so another approver must decide it',
  transfer_not_held: 'transfer {requestId} is {status}, not waiting for approval',
  four_eyes_transfer: 'four eyes: {user} entered this transfer, so another approver must decide it',
  held_post_failed: 'the held transfer could not be posted: {result}',
  held_void_failed: 'the held transfer could not be voided: {result}',
  transfer_refused: 'transfer {key} refused: {result}',
  setting_change_decided: 'setting change {changeId} was already {status}',
  four_eyes_setting: 'four eyes: {user} proposed this change, so another admin must confirm or reject it',
  proposal_needs_staff: 'a proposal names the staff user who made it',
  line_not_reversal: 'bank line {lineId} is not a bank reversal (冲正)',
  line_already_netted: 'bank line {lineId} is already netted with line {otherLineId}',
  line_cannot_net: 'bank line {lineId} cannot be netted: {note}',
  line_changed_during_run: 'bank line {lineId} changed during the run; run it again',
  request_changed_during_run: 'request {requestId} changed during the run; run it again',
  account_unmapped: 'CNY account {code} has no 科目编码; map it in the chart first',
  backup_changed: 'the backup file changed since it was checked; check it again',
  demo_books_not_empty: 'these books already have staff users; demo books are made only in empty books',
  statement_other_account: 'the statement is for account {account}, not {number} ({bank})',
  statement_account_unknown: 'no platform bank account {account} is set up; set it up or choose the account',
  statement_account_unnamed: 'the file does not say which account it is for; choose the bank account',
  statement_amount_invalid: '{file}: line {line}, field {field}: "{amount}" is not an amount in yuan with at most two decimals',
  bank_ref_repeated: 'line {line} repeats bank reference {ref} of line {earlier}; nothing was imported',
  statement_too_large: '{file} is {sizeMiB} MiB; statements over 20 MiB are refused',
  continuity_confirm: '{file}: {cause}; confirm to import it anyway',
  event_file_refused: '{count} problem(s) in {file}; nothing was imported',
  event_file_empty: 'the file is empty',
  event_file_no_events: 'the file holds no events',
  event_line_too_long: 'the line is longer than {max} bytes',
  event_line_not_utf8: 'the line is not valid UTF-8 text',
  event_line_not_json: 'not valid JSON: {detail}',
  event_line_json_array: 'not valid JSON: {detail} (this looks like one JSON array; Coffer reads JSON Lines: one event object per line)',
  event_line_not_object: 'each line must be one JSON object (an event)',
  event_line_is_array:
    'each line must be one JSON object (an event) (this looks like one JSON array; Coffer reads JSON Lines: one event object per line)',
  event_id_repeated: 'event {id} already appears on line {firstLine} with other content',
  event_imported_other: 'event {id} was imported before with other content',
  template_not_xlsx: 'the template is not a readable .xlsx workbook: {detail}',
  template_not_batch: 'not the batch-import template: {cause}',
  template_no_longer_reads: 'the loaded template {file} no longer reads: {cause}',
  template_no_sheet: 'the template has no sheet "{sheet}"',
  template_first_header: 'sheet "{sheet}" row 3: the first header is "{header}", not 发票流水号',
  template_no_column: 'sheet "{sheet}" row 3 has no column {column}',
  export_problems: '{count} problem(s) the tax system would refuse; nothing was written',
  numbers_unreadable: '{file}: not a readable CSV or .xlsx file: {detail}',
  backup_integrity: 'the backup copy failed its integrity check: {detail}',
  backup_empty: '{file} is empty, not a Coffer backup',
  backup_file_integrity: '{file} failed its integrity check: {detail}',
  backup_chain_broken: '{file}: its audit chain is broken ({detail})',
  witness_unreadable: '{file} cannot be read for a witness: {detail}',
  witness_missing: '{file} carries no Coffer witness',
  no_printer: 'pdf: there is no printer here to make the PDF',
  no_chromium:
    'pdf: no Chromium, Chrome or Edge was found to print the PDF; name one with COFFER_CHROMIUM, or leave out --pdf (the console prints the pack itself)',
  cli_bank_account_unknown: '--bank-account {text}: no platform bank account with that number or id',
  cli_account_unknown: '--account {text}: no platform bank account with that number or id (set up: {accounts})',
  init_has_staff: '{file} already has {count} staff user(s); init only sets up new books (log in with --as instead)',
  books_have_staff: '{file} already has staff users',
  demo_has_staff: '{file} already has {count} staff user(s); demo books are made only in new, empty books',
  demo_books_have_staff: '{file} already has staff users; demo books are made only in new, empty books',
  demo_customers_range: 'customers: a whole number from 1 to {max} (got {got})',
  demo_seed_range: 'seed: a whole number from 0 to 4294967295 (got {got})',
  event_file_missing: 'no event file at {file}',
  statement_file_missing: 'no statement file at {file}',
  schema_files_exist: '{path} exists; pass --force to replace the schema files',
  file_exists_force: '{path} exists; pass --force to replace it',
  folder_missing: 'folder {folder} does not exist',
  books_version_old:
    '{file} is books version {version}; this Coffer reads version {latest}. Reading without --as never migrates: open it once in the console (or with a command run --as an admin), which backs it up and migrates it.',
  voucher_file_missing: 'no voucher file at {file}',
  voucher_file_not_json: '{file}: not JSON ({detail})',
  voucher_file_bad: '{file}: {where}: {what}',
  postgres_not_empty: '{target} already holds books: books are copied only into an empty schema',
  postgres_unreachable: 'PostgreSQL at {target} does not answer: {detail}',
  books_copy_differs: 'the copy did not come out equal to the books file ({differences}); nothing was kept',
  books_copy_direction: 'one of --from and --to is a books file, the other a postgres:// URL',
  books_file_needed: '{command} needs a books file, not books on PostgreSQL: make one with `coffer books copy --from URL --to FILE`',
  books_copy_target_exists: '{path} exists: books are copied back only into a new file',
  postgres_not_books: '{target} holds no books',
  postgres_books_version: '{target} holds books version {version}; this Coffer copies version {latest}',
  session_token_unknown: 'the session token is not known here (the session ended, or it was never given): log in again',
  origin_refused: 'a request from {origin} is refused: the console answers only its own pages',
  request_too_large: 'the request is larger than {maxBytes} bytes',
  request_not_json: 'the request must be JSON (content-type application/json)',
  upload_too_large: 'the file is larger than {maxBytes} bytes, the most this server takes',
  upload_not_found: 'no uploaded file by that id for this session: upload the file again',
  download_not_found: 'no file to download by that id for this session',
  login_rate_limited: 'too many login attempts from this address; try again in {seconds} s',
  api_route_unknown: 'there is no {path} here',
  serve_needs_tls:
    '--listen {host} is reachable from other machines: give --tls-cert and --tls-key, or --insecure to serve without TLS on a network you trust',
  serve_needs_staff: '{path} has no staff users: create the first admin with `coffer init` (or `coffer demo`) before serving it',
  serve_listen_format: '--listen {text}: give HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080',
  serve_tls_pair: '--tls-cert and --tls-key go together: give both, or neither',
  server_address_invalid: '{text} is not a server address: give https://HOST:PORT, as `coffer serve` printed it',
  server_needs_https: '{host} is another machine: shared books are opened over https:// only',
  server_unreachable: 'no Coffer server answers at {address} ({detail})',
  server_certificate_changed:
    'the server at {address} shows another certificate than the one confirmed before (was {was}, now {now}): someone may be in between; ask whoever runs the server before trusting it again',
} as const satisfies { readonly [C in keyof ProblemParamsByCode]: string };
