// A list's filter form, written once: the inline form (its items wrap with a row gap), search and reset at
// its end, in a small card when the list's table sits in a card of its own.
import { Card, Form, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { FilterButtons } from './FilterButtons';

export function FilterForm<V>({
  form,
  onSearch,
  onReset,
  testId,
  icon,
  card,
  initialValues,
  formTestId,
  children,
}: {
  form: FormInstance<V>;
  onSearch(values: V): void;
  onReset(): void;
  /** The search button's test id. */
  testId: string;
  icon?: ReactNode;
  card?: boolean;
  initialValues?: Partial<V>;
  formTestId?: string;
  children: ReactNode;
}) {
  const body = (
    <Form<V> form={form} layout="inline" initialValues={initialValues} onFinish={onSearch} style={{ rowGap: 8 }} data-testid={formTestId}>
      {children}
      <FilterButtons testId={testId} icon={icon} onReset={onReset} />
    </Form>
  );
  return card ? <Card size="small">{body}</Card> : body;
}
