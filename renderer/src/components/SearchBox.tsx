// A list's search box: "/" focuses it (hooks/useSlashFocus), it clears with one click, and inside a
// Form.Item it takes the item's value. With onSearch it is antd's search input (Enter or the button
// searches); without, a plain input whose form searches.
import { Input, type GetProps, type InputProps, type InputRef } from 'antd';
import { useRef } from 'react';
import { useSlashFocus } from '../hooks/useSlashFocus';

type SearchBoxProps = (InputProps | GetProps<typeof Input.Search>) & { width: number; testId?: string };

export function SearchBox({ width, testId, ...rest }: SearchBoxProps) {
  const ref = useRef<InputRef>(null);
  useSlashFocus(ref);
  const props = { ref, allowClear: true, style: { width }, 'data-testid': testId, ...rest };
  return 'onSearch' in rest ? <Input.Search {...props} /> : <Input {...props} />;
}
