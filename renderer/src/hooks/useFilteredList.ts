// A keyset-paged list behind a filter form, written once: the form, the values last searched (the form
// submitted, a saved filter applied, or the form reset), the list method's filter made of them, and the
// page read with it; every search goes back to the newest page.
import { Form } from 'antd';
import { useMemo, useState } from 'react';
import type { MethodName } from '../api/coffer';
import { useKeyset, useKeysetList, type ListFilter, type RowOf } from './useKeysetPage';

export function useFilteredList<M extends MethodName, V extends object, R = RowOf<M>>(
  method: M,
  limit: number,
  /** The values before any search, and those merged into every search (a customer's own list). */
  o: { initial?: V; fixed?: Partial<V>; toFilter(values: V): ListFilter<M>; check?(values: V): boolean },
) {
  const [form] = Form.useForm<V>();
  const keyset = useKeyset();
  const { fixed, toFilter } = o;
  const [values, setValues] = useState<V>(() => ({ ...(o.initial ?? ({} as V)), ...fixed }));
  const filter = useMemo(() => toFilter(values), [toFilter, values]);
  const list = useKeysetList<M, R>(method, filter, limit, keyset);
  /** Search with `v` (unless `check` refuses it: it says why, and the page stays). */
  const search = (v: V) => {
    if (o.check && !o.check(v)) return;
    keyset.reset();
    setValues({ ...v, ...fixed });
  };
  /** Put the form back as it started and search with that. */
  const clear = () => {
    form.resetFields();
    search(o.initial ?? ({} as V));
  };
  /** Props of ListToolbar's saved filters: what to save, and how a saved one is put back and searched. */
  const saved = {
    values: form.getFieldsValue(),
    onApply: (v: V) => {
      form.setFieldsValue(v);
      search(v);
    },
  };
  /** Props of ListToolbar for what this list shows: the method and filter the export runs, the saved filters. */
  const toolbar = { method, filter, ...saved };
  return { form, values, filter, list, search, clear, saved, toolbar };
}
