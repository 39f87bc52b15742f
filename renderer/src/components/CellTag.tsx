// A tag in a table's cell or in a line of text: antd's Tag without the margin it keeps at its right,
// which would push a narrow column's tag off centre. Every status tag of the console is one.
import { Tag, type TagProps } from 'antd';

export function CellTag({ style, ...tag }: TagProps) {
  return <Tag style={{ marginInlineEnd: 0, ...style }} {...tag} />;
}
