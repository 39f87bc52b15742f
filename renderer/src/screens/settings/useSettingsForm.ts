// settings.list for an editor that starts from what is in force (conversion rules, the invoice product,
// the GL mapping, the matching rules): `show` puts what is in force into the editor when the settings
// first answer, and again on `reload` (a change decided, a draft discarded) — not after each refetch,
// which would throw away what is being typed. It answers with the settings it edits (`keys`), the ones
// its SettingChanges lists.
import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import { useRead } from '../../api/queries';
import { proposalDefaults } from './ProposalFields';
import type { SettingKey, Settings } from './setting-values';

export function useSettingsEditor(keys: readonly SettingKey[], show: (d: Settings) => void) {
  const read = useRead('settings.list');
  const { refetch } = read;
  const shown = useRef(show);
  shown.current = show;
  const first = useRef(true);
  useEffect(() => {
    if (read.data && first.current) {
      first.current = false;
      shown.current(read.data);
    }
  }, [read.data]);
  /** Read the settings again and put the editor back to what is now in force (for SettingChanges' reload). */
  const reload = useCallback(async () => {
    const d = (await refetch()).data;
    if (d) shown.current(d);
  }, [refetch]);
  /** `keys`, the settings the editor edits: what its SettingChanges lists. */
  return { data: read.data ?? null, reload, keys };
}

/** useSettingsEditor for an antd form: `toForm` gives its fields (undefined: leave the form as it is). */
export function useSettingsForm<F extends object>(
  form: FormInstance<F>,
  keys: readonly SettingKey[],
  toForm: (d: Settings) => F | undefined,
) {
  return useSettingsEditor(keys, (d) => {
    const v = toForm(d);
    if (v) form.setFieldsValue({ ...proposalDefaults(), ...v });
  });
}
