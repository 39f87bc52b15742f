// The layouts of workbooks Coffer hands out. The 月结包's sheets are written down by hand (not read from main/,
// so that a changed layout fails the tests); a voucher import layout is the GL's own, written once in main/.
// No vitest here: the end-to-end specs read it too.
import { BUILT_IN_HEADERS } from '../../main/domain/gl-export';

/** The 月结包's sheets in order (each sheet's name up to its first space): the cover and the seven reports. */
export const MONTH_END_PACK_SHEETS = [
  '封面',
  '科目余额表',
  '资产负债表',
  '利润表',
  '递延收入变动表',
  '余额调节表',
  '增值税申报数据',
  '扣缴申报',
];

/** The header row of the Kingdee (金蝶 KIS) voucher import sheet, column by column: the built-in layout itself. */
export const KINGDEE_HEADER = [...BUILT_IN_HEADERS.kingdee];
