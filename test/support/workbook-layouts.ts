// What an accounting package's import expects of an exported voucher workbook, written down by hand
// from the package's template (not read from main/, so that a changed layout fails the tests).

/** The header row of the Kingdee (金蝶 KIS) voucher import sheet, column by column. */
export const KINGDEE_HEADER = [
  '日期',
  '凭证字',
  '凭证号',
  '附单据数',
  '摘要',
  '科目代码',
  '科目名称',
  '借方金额',
  '贷方金额',
  '币别',
  '汇率',
  '数量',
  '单价',
  '制单人',
  '审核人',
  '过账人',
];
