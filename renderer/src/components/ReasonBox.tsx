// The box a reason is typed in (a rejection, a reversal): up to 500 characters, three rows unless told.
import { Input } from 'antd';

export function ReasonBox({
  value,
  onChange,
  placeholder,
  testId,
  rows = 3,
  autoFocus = true,
}: {
  value: string;
  onChange(reason: string): void;
  placeholder: string;
  testId: string;
  rows?: number;
  autoFocus?: boolean;
}) {
  return (
    <Input.TextArea
      autoFocus={autoFocus}
      rows={rows}
      maxLength={500}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}
