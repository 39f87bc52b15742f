// A dialog's action: `busy` while it runs, and a refusal said inside the dialog (`error`, in the
// console's words by its code) where the user can correct what they entered and try again, rather
// than in a passing message. `failed` takes the refusals a dialog answers otherwise.
import { useState } from 'react';
import { errorText } from '../app/errors';
import { useT } from '../i18n';

export function useDialogRun() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>, failed?: (e: unknown) => void) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (failed) failed(e);
      else setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
