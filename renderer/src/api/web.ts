// window.coffer when the console is served by `coffer serve` (main/serve/server.ts) instead of the
// desktop's preload: each method is a POST to /api/call with the session's token in a header (held in
// memory only: no cookies, no storage, never in a URL); job events come as Server-Sent Events read with
// fetch (EventSource cannot send the header). A method that opens a file asks the browser for one and
// uploads it first; a file a job saves is downloaded when the job is done.
import type { ApiResult, CofferApi, CofferBridge, JobEvent } from '../../../main/api/client-types';
import type { MethodName } from '../../../main/api/contract';
import { METHOD_NAMES } from '../../../main/api/method-names';
import { readEventData } from '../../../main/serve/event-stream';
import type { ErrorCode } from '../../../main/domain/errors';

/** Methods whose run asks the open dialog for a file (chosenPath 'open' in main/api/methods). */
const OPEN_FILE_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'statements.choose',
  'events.preview',
  'vouchers.loadGlTemplate',
  'books.checkWitness',
  'books.checkRestore',
  'invoices.importNumbers',
  'invoices.loadTemplate',
]);

/** Refusals after which the server has forgotten this page's token. */
const SESSION_GONE = new Set(['session_token_unknown', 'session_idle', 'session_expired']);

type Download = { id: string; name: string };
type Answer = ApiResult<unknown> & { token?: string; downloads?: Download[] };

/** The page says it is served (the server marks the index page it sends). */
export function servedByCofferServe(): boolean {
  return document.querySelector('meta[name="coffer-transport"][content="web"]') !== null;
}

const failed = (code: ErrorCode, reason: string, message: string): Answer => ({
  ok: false,
  error: { code, message, details: { reason, params: {} } },
});

export function webBridge(base = new URL('/', location.href)): CofferBridge {
  let token: string | null = null;
  let stream: AbortController | null = null;
  const listeners = new Set<(e: JobEvent) => void>();
  const auth = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  const drop = () => {
    token = null;
    stream?.abort();
    stream = null;
  };

  async function download(d: Download): Promise<void> {
    const r = await fetch(new URL(`api/download/${d.id}`, base), { headers: auth() });
    if (!r.ok) return;
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = d.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function deliver(e: JobEvent & { downloads?: Download[] }): void {
    for (const d of e.downloads ?? []) void download(d);
    for (const l of listeners) l(e);
  }

  /** Reads this session's event stream until the session ends, reconnecting after a break. */
  async function listen(ac: AbortController): Promise<void> {
    while (!ac.signal.aborted && token) {
      try {
        const r = await fetch(new URL('api/events', base), { headers: auth(), signal: ac.signal });
        if (r.status === 401) return drop();
        await readEventData(r.body!, (data) => deliver(JSON.parse(data) as JobEvent));
      } catch {
        if (ac.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The file the user picks, or null when they close the picker. */
  function pick(): Promise<File | null> {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.addEventListener('change', () => resolve(input.files?.[0] ?? null));
      input.addEventListener('cancel', () => resolve(null));
      input.click();
    });
  }

  async function upload(file: File): Promise<Answer> {
    const r = await fetch(new URL('api/upload', base), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream', 'x-coffer-file-name': encodeURIComponent(file.name) },
      body: file,
    });
    return (await r.json()) as Answer;
  }

  async function invoke(method: MethodName, input: unknown): Promise<Answer> {
    let uploaded: string | undefined;
    if (OPEN_FILE_METHODS.has(method)) {
      const file = await pick();
      if (!file) return failed('CANCELLED', 'no_file_chosen', 'no file was chosen');
      const up = await upload(file);
      if (!up.ok) return up;
      uploaded = (up.data as { upload: string }).upload;
    }
    let answer: Answer;
    try {
      const r = await fetch(new URL('api/call', base), {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ method, input, ...(uploaded ? { upload: uploaded } : {}) }),
      });
      answer = (await r.json()) as Answer;
    } catch (e) {
      return failed('INTERNAL', 'unexpected_error', `the server did not answer: ${String(e)}`);
    }
    if (answer.token) {
      drop();
      token = answer.token;
      stream = new AbortController();
      void listen(stream);
    }
    if (!answer.ok && SESSION_GONE.has(String(answer.error.details?.reason))) drop();
    if (answer.ok && method === 'session.logout') drop();
    for (const d of answer.downloads ?? []) void download(d);
    const { token: _t, downloads: _d, ...result } = answer;
    return result;
  }

  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const m of METHOD_NAMES) api[m] = (input) => invoke(m, input ?? {});
  return Object.freeze({
    api: Object.freeze(api) as unknown as CofferApi,
    onEvent(listener: (e: JobEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
}
