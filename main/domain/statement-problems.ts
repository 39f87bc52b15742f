// Why a bank's statement file cannot be read (formats/statements): the readers' problems as codes with
// parameters, merged into the refusal catalogue like problems.ts. The line and column of the file are
// said beside them (StatementError's line and field), never inside. `detail` is a reader's technical
// note on a damaged container (a sector, a record, a zip entry), kept in English for whoever repairs it.
//
// Also the continuity checks an import reports rather than refuses (opening + lines = closing, a gap or
// an overlap with the previous statement): amounts as the file gives them (decimal strings), or `…Fen`.

type P<K extends string> = Record<K, string>;

export interface StatementProblemParamsByCode {
  // a file refused whole, with the reader's problem as its cause (and where in the file, when known)
  statement_refused: P<'file' | 'cause'>;
  statement_refused_line: P<'file' | 'line' | 'cause'>;
  statement_refused_column: P<'file' | 'column' | 'cause'>;
  statement_refused_at: P<'file' | 'line' | 'column' | 'cause'>;
  // what kind of file it is
  stmt_file_is_pdf: P<'file'>;
  stmt_file_is_png: P<'file'>;
  stmt_file_is_jpeg: P<'file'>;
  stmt_file_is_gif: P<'file'>;
  stmt_file_is_rar: P<'file'>;
  stmt_file_is_gzip: P<'file'>;
  stmt_file_is_7z: P<'file'>;
  stmt_not_workbook: P<'file'>;
  stmt_html: P<'file'>;
  stmt_json: P<'file'>;
  stmt_file_empty: P<never>;
  stmt_file_too_large: P<'bytes' | 'max'>;
  stmt_no_rows: P<never>;
  stmt_too_many_rows: P<'max'>;
  // text: encodings, CSV
  stmt_nul_bytes: P<never>;
  stmt_cut_character: P<never>;
  stmt_bad_bom: P<never>;
  stmt_encoding: P<'byte' | 'line' | 'fallback'>;
  stmt_csv_open_quote: P<never>;
  // values
  stmt_not_amount: P<'value'>;
  stmt_not_date: P<'value'>;
  stmt_no_date: P<never>;
  stmt_not_time: P<'value'>;
  stmt_no_time: P<'value'>;
  stmt_not_decimal: P<'value'>;
  stmt_too_many_decimals: P<'value' | 'currency' | 'exp'>;
  stmt_currency_unknown: P<'currency'>;
  stmt_currency_not_known: P<'value'>;
  stmt_ref_twice: P<'ref' | 'first'>;
  // tables (CSV, .xlsx, .xls): header, profile, rows, amounts
  stmt_no_profile: P<'profile' | 'known'>;
  stmt_no_header_row: P<'rows'>;
  stmt_profile_needs: P<'profile' | 'column' | 'header'>;
  stmt_mapping_needs: P<'column' | 'header'>;
  stmt_no_profile_fits: P<'header'>;
  stmt_last_row_short: P<'cells' | 'columns'>;
  stmt_row_cells: P<'cells' | 'columns'>;
  stmt_last_row_cut: P<'cells' | 'columns'>;
  stmt_no_amount: P<never>;
  stmt_direction: P<'value' | 'in' | 'out'>;
  stmt_both_amounts: P<'first' | 'second'>;
  stmt_no_amount_either: P<never>;
  stmt_header_only: P<never>;
  // XML (camt.053) and OFX
  stmt_no_child: P<'element' | 'child'>;
  stmt_camt_direction: P<'value'>;
  stmt_no_date_element: P<'element'>;
  stmt_booked_no_date: P<never>;
  stmt_balance_no_date: P<'code'>;
  stmt_xml_root: P<'root'>;
  stmt_camt_other: P<'other'>;
  stmt_camt_no_statement: P<never>;
  stmt_camt_empty: P<never>;
  stmt_xml_entity: P<'entity'>;
  stmt_xml_outside: P<never>;
  stmt_xml_in_comment: P<never>;
  stmt_xml_in_cdata: P<never>;
  stmt_xml_doctype: P<never>;
  stmt_xml_malformed: P<never>;
  stmt_xml_attribute: P<never>;
  stmt_xml_in_pi: P<never>;
  stmt_xml_in_tag: P<never>;
  stmt_tag_mismatch: P<'tag' | 'open'>;
  stmt_tag_mismatch_at: P<'tag' | 'open' | 'openLine'>;
  stmt_xml_nameless: P<never>;
  stmt_xml_second_root: P<never>;
  stmt_ends_inside: P<'element' | 'openLine'>;
  stmt_xml_empty: P<never>;
  stmt_ofx_none: P<never>;
  stmt_ofx_outside: P<'text'>;
  stmt_ofx_date: P<'value'>;
  stmt_ofx_amount: P<'value'>;
  stmt_ofx_empty: P<never>;
  // MT940
  stmt_mt940_before_header: P<'tag'>;
  stmt_mt940_balance: P<'value'>;
  stmt_yymmdd: P<'value'>;
  stmt_decimal_comma: P<'value'>;
  stmt_value_date: P<'value'>;
  stmt_entry_date: P<'value'>;
  stmt_mt940_mark: P<'value'>;
  stmt_one_decimal_comma: P<'value'>;
  stmt_mt940_type: P<'value'>;
  stmt_mt940_no_account: P<never>;
  stmt_mt940_no_opening: P<never>;
  stmt_mt940_no_closing: P<'start'>;
  stmt_mt940_twice: P<'ref' | 'first'>;
  stmt_mt940_none: P<never>;
  // workbooks: .xls (OLE2/BIFF8), .xlsx (zip)
  stmt_xls_short: P<'bytes'>;
  stmt_not_ole2: P<never>;
  stmt_xls_sector: P<'what' | 'sector' | 'count'>;
  stmt_xls_in_sector: P<'sector' | 'what'>;
  stmt_xls_file_damaged: P<'detail'>;
  stmt_xls_damaged: P<'detail'>;
  stmt_xls_old: P<'kind'>;
  stmt_xls_biff5: P<'version'>;
  stmt_xls_book_stream: P<never>;
  stmt_xls_cut_at: P<'pos'>;
  stmt_xls_cut_record: P<'pos'>;
  stmt_xls_missing: P<'what'>;
  stmt_xls_encrypted: P<never>;
  stmt_xls_no_eof: P<never>;
  stmt_xls_sheet_eof: P<'sheet'>;
  stmt_sheet_rows: P<'sheet' | 'max'>;
  stmt_workbook_cells: P<'max'>;
  stmt_workbook_too_large: P<'bytes' | 'max' | 'maxMiB'>;
  stmt_xlsx_encrypted: P<never>;
  stmt_ole2_word: P<never>;
  stmt_ole2_powerpoint: P<never>;
  stmt_ole2_other: P<never>;
  stmt_no_worksheet: P<never>;
  stmt_workbook_unreadable: P<'detail'>;
  stmt_zip_refused: P<'detail'>;
  stmt_zip_incomplete: P<never>;
  stmt_zip_multipart: P<never>;
  stmt_zip64: P<never>;
  stmt_zip_directory_outside: P<never>;
  stmt_zip_directory_corrupt: P<never>;
  stmt_zip_encrypted: P<'name'>;
  stmt_zip_method: P<'name' | 'method'>;
  stmt_zip_no_local: P<'name'>;
  stmt_zip_inflate: P<'name'>;
  // continuity, reported not refused
  continuity_sum: P<'opening' | 'lines' | 'expected' | 'closing'>;
  continuity_sum_fen: P<'openingFen' | 'linesFen' | 'expectedFen' | 'closingFen'>;
  continuity_gap: P<'openingFen' | 'previousFen' | 'previousFile' | 'previousDate'>;
  continuity_overlap: P<'start' | 'previousEnd'>;
  continuity_entry_currency: P<'line' | 'currency' | 'statementCurrency'>;
  continuity_balance_currency: P<'line' | 'code' | 'currency' | 'statementCurrency'>;
  continuity_closing_currency: P<'line' | 'closingCurrency' | 'currency'>;
  continuity_running_balance: P<'line' | 'balance' | 'previous' | 'amount' | 'expected'>;
  continuity_balance_empty: P<'element' | 'line'>;
}

export const STATEMENT_PROBLEM_EN = {
  statement_refused: '{file}: {cause}; nothing was imported',
  statement_refused_line: '{file}: line {line}: {cause}; nothing was imported',
  statement_refused_column: '{file}: field {column}: {cause}; nothing was imported',
  statement_refused_at: '{file}: line {line}, field {column}: {cause}; nothing was imported',
  stmt_file_is_pdf: '{file} is a PDF document, not a bank statement',
  stmt_file_is_png: '{file} is a PNG image, not a bank statement',
  stmt_file_is_jpeg: '{file} is a JPEG image, not a bank statement',
  stmt_file_is_gif: '{file} is a GIF image, not a bank statement',
  stmt_file_is_rar: '{file} is a RAR archive, not a bank statement',
  stmt_file_is_gzip: '{file} is a gzip archive, not a bank statement',
  stmt_file_is_7z: '{file} is a 7-Zip archive, not a bank statement',
  stmt_not_workbook: '{file} is named as a workbook but is not one (no zip signature)',
  stmt_html: '{file} is a web page (HTML) saved with a spreadsheet name: save it as .xlsx, .xls or CSV',
  stmt_json: '{file} holds JSON (a platform event file?), not a bank statement',
  stmt_file_empty: 'the file is empty',
  stmt_file_too_large: 'the file is {bytes} bytes; statements of at most {max} bytes are read',
  stmt_no_rows: 'the file holds no rows',
  stmt_too_many_rows: 'more than {max} rows',
  stmt_nul_bytes: 'the file holds NUL bytes: it is binary or UTF-16 without a byte-order mark, not a text statement',
  stmt_cut_character: 'the file ends in the middle of a character (cut off?)',
  stmt_bad_bom: 'the file starts with a UTF-8 byte-order mark but is not valid UTF-8',
  stmt_encoding: 'the text is neither UTF-8 (byte 0x{byte} on line {line}) nor {fallback}',
  stmt_csv_open_quote: 'the file ends inside a quoted field (cut off?)',
  stmt_not_amount: '"{value}" is not an amount',
  stmt_not_date: '"{value}" is not a date',
  stmt_no_date: 'no date',
  stmt_not_time: '"{value}" is not a time of day',
  stmt_no_time: '"{value}" has no valid time of day',
  stmt_not_decimal: 'not a decimal amount: "{value}"',
  stmt_too_many_decimals: '{value} has more decimals than {currency} allows ({exp})',
  stmt_currency_unknown: 'unknown currency "{currency}": no ISO 4217 exponent',
  stmt_currency_not_known: '"{value}" is not a currency Coffer knows',
  stmt_ref_twice: 'bank reference "{ref}" appears twice in one file (first at line {first})',
  stmt_no_profile: 'no profile "{profile}"; known: {known}',
  stmt_no_header_row: 'no header row found in the first {rows} rows (looked for names such as 交易日期, 金额, 余额, 对方户名)',
  stmt_profile_needs: 'profile {profile} needs column {column}, not in the header [{header}]',
  stmt_mapping_needs: 'the mapping needs column {column}, not in the header [{header}]',
  stmt_no_profile_fits: 'no profile fits the header [{header}]; choose the columns in the preview',
  stmt_last_row_short: 'the last row has {cells} of {columns} columns (file cut off?)',
  stmt_row_cells: 'the row has {cells} cells, the header has {columns}',
  stmt_last_row_cut: 'the last row has {cells} of {columns} columns: the file was cut off (download the statement again)',
  stmt_no_amount: 'no amount',
  stmt_direction: 'direction "{value}" is neither {in} nor {out}',
  stmt_both_amounts: 'both {first} and {second} hold an amount',
  stmt_no_amount_either: 'no amount in either column',
  stmt_header_only: 'the file has a header but no statement lines',
  stmt_no_child: '<{element}> has no {child}',
  stmt_camt_direction: 'CdtDbtInd must be CRDT or DBIT, not "{value}"',
  stmt_no_date_element: '{element} has neither Dt nor DtTm',
  stmt_booked_no_date: 'a booked <Ntry> has no BookgDt',
  stmt_balance_no_date: 'balance {code} has no date',
  stmt_xml_root: 'the XML root is <{root}>, not a camt.053 <Document>',
  stmt_camt_other: 'this is {other}, not a camt.053 statement',
  stmt_camt_no_statement: 'the document has no <BkToCstmrStmt>',
  stmt_camt_empty: '<BkToCstmrStmt> holds no <Stmt>',
  stmt_xml_entity: 'unknown XML entity {entity}',
  stmt_xml_outside: 'text outside the XML root element',
  stmt_xml_in_comment: 'the XML ends inside a comment',
  stmt_xml_in_cdata: 'the XML ends inside CDATA',
  stmt_xml_doctype: 'XML with a DOCTYPE or entity declaration is refused',
  stmt_xml_malformed: 'the file is not well-formed XML here',
  stmt_xml_attribute: 'an XML attribute without a quoted value',
  stmt_xml_in_pi: 'the XML ends inside a processing instruction',
  stmt_xml_in_tag: 'the XML ends inside a tag',
  stmt_tag_mismatch: '</{tag}> does not close <{open}>',
  stmt_tag_mismatch_at: '</{tag}> does not close <{open}> opened at line {openLine}',
  stmt_xml_nameless: 'an XML tag without a name',
  stmt_xml_second_root: 'a second XML root element',
  stmt_ends_inside: 'the file ends inside <{element}> opened at line {openLine}',
  stmt_xml_empty: 'no XML element in the file',
  stmt_ofx_none: 'no <OFX> element in the file',
  stmt_ofx_outside: 'text outside the <OFX> element: "{text}"',
  stmt_ofx_date: '"{value}" is not an OFX date (YYYYMMDD[HHMMSS])',
  stmt_ofx_amount: '"{value}" is not an amount (digits with an optional sign and decimal point)',
  stmt_ofx_empty: 'the OFX holds no bank or credit-card statement (<STMTRS>)',
  stmt_mt940_before_header: '{tag} before any :20: statement header',
  stmt_mt940_balance: '"{value}" is not a balance (C|D, YYMMDD, currency, amount)',
  stmt_yymmdd: '"{value}" is not a YYMMDD date',
  stmt_decimal_comma: '"{value}" is not an amount with a decimal comma',
  stmt_value_date: '"{value}" is not a YYMMDD value date',
  stmt_entry_date: '"{value}" is not an MMDD entry date',
  stmt_mt940_mark: 'expected the debit/credit mark D, C, RD or RC, found "{value}"',
  stmt_one_decimal_comma: '"{value}" is not an amount with one decimal comma',
  stmt_mt940_type: 'expected a transaction type such as NTRF, found "{value}"',
  stmt_mt940_no_account: 'statement has no :25: account',
  stmt_mt940_no_opening: 'statement has no :60F: or :60M: opening balance',
  stmt_mt940_no_closing: 'statement starting at line {start} ends without a :62F: or :62M: closing balance (file cut off?)',
  stmt_mt940_twice: 'the same :61: line with bank reference "{ref}" appears twice (first at line {first})',
  stmt_mt940_none: 'no MT940 statement in the file: no line starts with :20:',
  stmt_xls_short: 'the .xls file is cut off: {bytes} bytes, shorter than its 512-byte header',
  stmt_not_ole2: 'not an OLE2 compound file',
  stmt_xls_sector: 'the .xls file is cut off or damaged: {what} refers to sector {sector}, the file has {count}',
  stmt_xls_in_sector: 'the .xls file is cut off inside sector {sector} ({what})',
  stmt_xls_file_damaged: 'the .xls file is damaged: {detail}',
  stmt_xls_damaged: 'the .xls workbook is damaged: {detail}',
  stmt_xls_old: 'this is an {kind} workbook, which Coffer does not read: open it in Excel or WPS and save it as .xlsx or CSV',
  stmt_xls_biff5:
    'this is an Excel 5.0/95 (BIFF5) or older workbook (BIFF version 0x{version}), which Coffer does not read: open it in Excel or WPS and save it as .xlsx or CSV',
  stmt_xls_book_stream:
    'this is an Excel 5.0/95 (BIFF5) workbook, which Coffer does not read: open it in Excel or WPS and save it as .xlsx or CSV',
  stmt_xls_cut_at: 'the .xls workbook is cut off at byte {pos} of its Workbook stream',
  stmt_xls_cut_record: 'the .xls workbook is cut off inside the record at byte {pos}',
  stmt_xls_missing: 'the .xls workbook has no {what}',
  stmt_xls_encrypted: 'the .xls workbook is password-protected (encrypted): open it, remove the password and save it as .xlsx or CSV',
  stmt_xls_no_eof: 'the .xls workbook is cut off: its global part has no EOF record',
  stmt_xls_sheet_eof: 'the .xls workbook is cut off: sheet {sheet} has no EOF record',
  stmt_sheet_rows: 'sheet {sheet} has more than {max} rows',
  stmt_workbook_cells: 'the workbook has more than {max} cells',
  stmt_workbook_too_large: 'the workbook is {bytes} bytes; at most {max} bytes ({maxMiB} MiB) are read',
  stmt_xlsx_encrypted: 'the workbook is password-protected (an encrypted .xlsx): remove the password and save it as .xlsx or CSV',
  stmt_ole2_word: 'the file is a Word document, not an Excel workbook (no Workbook stream)',
  stmt_ole2_powerpoint: 'the file is a PowerPoint file, not an Excel workbook (no Workbook stream)',
  stmt_ole2_other: 'the file is an OLE2 file, not an Excel workbook (no Workbook stream)',
  stmt_no_worksheet: 'the workbook has no worksheet',
  stmt_workbook_unreadable: 'the workbook could not be read: {detail}',
  stmt_zip_refused: 'the workbook was refused before reading: {detail}',
  stmt_zip_incomplete: 'the workbook is not a complete zip file (no end of central directory: truncated?)',
  stmt_zip_multipart: 'multi-part zip archives are not read',
  stmt_zip64: 'ZIP64 workbooks are not read (no 20 MiB workbook needs it)',
  stmt_zip_directory_outside: 'the zip central directory points outside the file (truncated or corrupt)',
  stmt_zip_directory_corrupt: 'the zip central directory is corrupt',
  stmt_zip_encrypted: 'the workbook is encrypted ({name}); save it without a password',
  stmt_zip_method: 'zip entry {name} uses compression method {method}',
  stmt_zip_no_local: 'zip entry {name} has no local header where the directory says',
  stmt_zip_inflate: 'zip entry {name} does not inflate (truncated or corrupt)',
  continuity_sum: 'opening {opening} + lines {lines} = {expected}, but the closing balance is {closing}',
  continuity_sum_fen: 'opening {openingFen} + lines {linesFen} = {expectedFen}, but the closing balance is {closingFen}',
  continuity_gap:
    "opening balance {openingFen} differs from the previous statement's closing {previousFen} ({previousFile}, {previousDate}): a gap",
  continuity_overlap: 'the statement starts {start}, before the previous one ended ({previousEnd}): an overlap',
  continuity_entry_currency: 'line {line}: entry in {currency}, the statement is in {statementCurrency}',
  continuity_balance_currency: 'line {line}: balance {code} is in {currency}, the statement is in {statementCurrency}',
  continuity_closing_currency: 'line {line}: closing balance in {closingCurrency}, opening in {currency}',
  continuity_running_balance: 'line {line}: balance {balance} does not follow from {previous} {amount} (expected {expected})',
  continuity_balance_empty: 'line {line}: {element} has no amount or date, so the closing balance is missing and continuity is not checked',
} as const satisfies { readonly [C in keyof StatementProblemParamsByCode]: string };
