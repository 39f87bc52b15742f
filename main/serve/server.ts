// coffer serve: the same API dispatcher the console and the CLI call, over HTTP(S), and the built
// console to a browser (issue 15 §2). The border:
//   POST /api/call      {method, input, upload?} → {ok, data} | {ok, error}; session.login answers a token
//   POST /api/upload    the raw file (x-coffer-file-name) → {ok, data: {upload}}: the open dialog's choice
//   GET  /api/events    Server-Sent Events of this session's jobs (read with fetch: the token is a header)
//   GET  /api/download/ID  a file a method saved for this session, once
// Every /api call but a public method names its session by `Authorization: Bearer TOKEN` (no cookies,
// tokens never in URLs); a foreign Origin is refused and no CORS header is ever sent. A call refused
// before its method runs (no session, an ended one, a locked screen, a role that may not) comes with
// 401, 423 or 403, as do the border's own refusals (token, origin, size, rate) with the status that
// fits; what a method answers once admitted comes with status 200 (the body says whether it refused).
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { contract } from '../api/contract';
import type { MethodDef } from '../api/define';
import { Dispatcher, toErrorBody } from '../api/dispatcher';
import type { JobEvent } from '../api/jobs';
import type { Dialogs } from '../api/ports';
import { CallMemo } from '../api/sessions';
import type { AnyBooks } from '../db/tx';
import { CofferError, type ApiErrorBody } from '../domain/errors';
import { inputRefusal, parseInput } from '../domain/input-problems';
import { refuse } from '../domain/refusals';
import { staffCount } from '../services/staff';
import { AttemptLimiter, bearer, checkListen, clientOfToken, newToken } from './border';
import { SessionFile } from './session-file';
import { SessionTable } from './session-table';
import { FileRoom, STATIC_TYPES, type ServedFile } from './files';

export interface ServeLimits {
  /** A JSON call's body. */
  bodyBytes: number;
  /** An uploaded file (the readers then apply their own caps, as for a file chosen in a dialog). */
  uploadBytes: number;
  /** Password tries (login, unlock) per address in `loginWindowMs`. */
  loginAttempts: number;
  loginWindowMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  bodyBytes: 1024 * 1024,
  uploadBytes: 256 * 1024 * 1024,
  loginAttempts: 10,
  loginWindowMs: 60_000,
};

export interface ServeOptions {
  books: AnyBooks;
  host: string;
  port: number;
  tls?: { cert: Buffer | string; key: Buffer | string };
  insecure?: boolean;
  /** The built console (out/renderer); null serves the API only. */
  consoleDir?: string | null;
  clock?: () => number;
  limits?: Partial<ServeLimits>;
  scanWorker?: URL | null;
}

export interface Serving {
  url: string;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/** Methods that try a password: counted per address. */
const PASSWORD_TRIES = new Set(['session.login', 'session.unlock', 'setup.createFirstAdmin']);

/** A job's end as the browser gets it: an export's file to download rides on its job.done. */
export type ServedEvent = JobEvent & { downloads?: { id: string; name: string }[] };

/** The call being answered: its client, its upload (the open dialog's answer) and what it saved. */
interface CallScope {
  clientId: string;
  upload: string | null;
  saved: ServedFile[];
}

const CallInput = z
  .object({ method: z.string().min(1).max(100), input: z.unknown().optional(), upload: z.string().uuid().optional() })
  .strict();

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The border's refusals and their HTTP status. */
class BorderRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: CofferError,
  ) {
    super(error.message);
  }
}
const border = (status: number, e: CofferError) => new BorderRefusal(status, e);

/** The HTTP status of a call refused before its method runs (Dispatcher.admits); any other code is 400. */
const ADMISSION_STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, LOCKED: 423 };

/** A job or scan method: its call answers with the job's id, its files come with the job's end. */
const startsJob = (method: string) => {
  const kind = (contract as Record<string, MethodDef | undefined>)[method]?.kind;
  return kind === 'job' || kind === 'scan';
};

/** The page the browser gets says it is served, so the console talks over HTTP (renderer/src/api/web.ts). */
export const SERVED_MARK = '<meta name="coffer-transport" content="web" />';

export async function startServe(o: ServeOptions): Promise<Serving> {
  checkListen(o.host, !!o.tls, !!o.insecure);
  // Books without staff would let whoever reaches the page first make themselves admin (or demo books).
  if ((await staffCount(o.books.reader)) === 0) throw refuse('VALIDATION', 'serve_needs_staff', { path: o.books.path }, { field: 'books' });
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const clock = o.clock ?? Date.now;
  const scope = new AsyncLocalStorage<CallScope>();
  const files = new FileRoom();
  const shelf = o.books.engine === 'sqlite' ? new SessionFile(o.books.path) : await SessionTable.open(o.books);
  const limiter = new AttemptLimiter(limits.loginAttempts, limits.loginWindowMs, clock);
  const streams = new Map<string, Set<http.ServerResponse>>();
  const waiting = new Map<string, ServedEvent[]>();

  const dialogs: Dialogs = {
    openFile: async () => scope.getStore()?.upload ?? null,
    saveFile: async (d) => {
      const call = scope.getStore();
      if (!call) return null;
      const f = files.newDownload(call.clientId, d.defaultName);
      call.saved.push(f);
      return f.path;
    },
  };

  const send = (clientId: string, event: ServedEvent) => {
    const open = streams.get(clientId);
    if (open?.size) for (const res of open) res.write(`data: ${JSON.stringify(event)}\n\n`);
    else {
      // the stream is (re)connecting: kept until it is, the last few hundred — kept in order now, and
      // dropped once the shelf says no session stands behind them (a public job's caller has none)
      const kept = waiting.get(clientId) ?? [];
      kept.push(event);
      waiting.set(clientId, kept.slice(-200));
      const drop = () => void waiting.delete(clientId);
      void dispatcher.sessions.known(clientId).then((known) => (known ? undefined : drop()), drop);
    }
  };

  const dispatcher = new Dispatcher({
    books: o.books,
    scanWorker: o.scanWorker,
    sessionShelf: shelf,
    ports: { dialogs, clock, remote: true },
    emit: (clientId, event) => {
      // A job runs in the scope of the call that started it: what it saved is offered on its job.done.
      const saved = event.type === 'job.progress' ? [] : (scope.getStore()?.saved.splice(0) ?? []);
      if (event.type === 'job.done' && saved.length)
        send(clientId, { ...event, downloads: saved.map((f) => ({ id: f.id, name: f.name })) });
      else {
        for (const f of saved) files.drop(f); // a failed job's half-written file is not offered
        send(clientId, event);
      }
    },
  });

  /**
   * The session a request names, or undefined for none; a token naming no session is refused. `memo` is
   * the request's own: what it loads is kept for the rest of this request only.
   */
  const sessionOf = async (req: http.IncomingMessage, memo: CallMemo): Promise<{ token: string; clientId: string } | undefined> => {
    const token = bearer(req.headers.authorization);
    if (token === undefined) return undefined;
    const clientId = token ? clientOfToken(token) : undefined;
    if (!clientId || !(await dispatcher.sessions.known(clientId, memo)))
      throw border(401, refuse('UNAUTHENTICATED', 'session_token_unknown', {}));
    return { token, clientId };
  };
  /** The session a request must name (uploads, events, downloads), still live. */
  const liveSession = async (req: http.IncomingMessage) => {
    const memo = new CallMemo();
    const s = await sessionOf(req, memo);
    if (!s) throw border(401, refuse('UNAUTHENTICATED', 'not_logged_in', {}));
    if (!('session' in (await dispatcher.sessions.get(s.clientId, memo)))) {
      forget(s.clientId);
      throw border(401, refuse('UNAUTHENTICATED', 'session_token_unknown', {}));
    }
    return s;
  };
  /** Drops what this process keeps for a session that ended (its job events and open streams). */
  const forget = (clientId: string) => {
    waiting.delete(clientId);
    for (const res of streams.get(clientId) ?? []) res.end();
    streams.delete(clientId);
  };

  async function onCall(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw border(415, refuse('VALIDATION', 'request_not_json', {}));
    const raw = await readBody(req, limits.bodyBytes);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw border(400, refuse('VALIDATION', 'request_not_json', {}));
    }
    const parsed = parseInput(CallInput, json);
    if (!parsed.success) throw border(400, inputRefusal(parsed.problems));
    const { method, input, upload } = parsed.data;
    // The caller's session is loaded once for this call, checked from it at each step below.
    const memo = new CallMemo();
    const named = await sessionOf(req, memo);
    // A call without a token is given one in advance: kept only if the call starts a session (login).
    const fresh = named ? null : newToken();
    const clientId = named?.clientId ?? fresh!.clientId;
    if (PASSWORD_TRIES.has(method)) {
      try {
        limiter.take(req.socket.remoteAddress ?? '');
      } catch (e) {
        throw border(429, e as CofferError);
      }
    }
    const call: CallScope = { clientId, upload: null, saved: [] };
    let result: { ok: true; data: unknown } | { ok: false; error: ApiErrorBody };
    const refused = await dispatcher.admits(clientId, method, memo);
    const status = refused ? (ADMISSION_STATUS[refused.code] ?? 400) : 200;
    if (refused) result = { ok: false, error: refused };
    else if (upload !== undefined && !(call.upload = files.upload(clientId, upload) ?? null))
      result = { ok: false, error: toErrorBody(refuse('NOT_FOUND', 'upload_not_found', {}, { field: 'upload' })) };
    else result = await scope.run(call, () => dispatcher.dispatch(clientId, method, input ?? {}, memo));
    // A session this call began gets its token; what is kept for a session that is gone is dropped
    // (loaded again only if this process changed a session meanwhile: a login, a logout, a lock).
    const live = 'session' in (await dispatcher.sessions.get(clientId, memo));
    const token = live && fresh ? fresh.token : undefined;
    if (!live && named) forget(clientId);
    // What a job saves is its own, offered on its job.done: the job may have saved already (its first
    // steps can outrun the session lookup above), but its file is not written until it is done.
    const saved = startsJob(method) ? [] : call.saved.splice(0);
    const downloads = result.ok && saved.length ? saved.map((f) => ({ id: f.id, name: f.name })) : undefined;
    if (!result.ok) for (const f of saved) files.drop(f);
    jsonAnswer(res, { ...result, ...(token ? { token } : {}), ...(downloads ? { downloads } : {}) }, status);
  }

  async function onUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { clientId } = await liveSession(req);
    let name = 'upload';
    try {
      name = decodeURIComponent(String(req.headers['x-coffer-file-name'] ?? 'upload'));
    } catch {
      /* a name that does not decode is no name */
    }
    const f = files.newUpload(clientId, name);
    const out = fs.createWriteStream(f.path, { flags: 'wx' });
    const { over, size } = await receive(req, limits.uploadBytes, (chunk) => {
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (over) {
      files.drop(f);
      throw border(413, refuse('LIMIT', 'upload_too_large', { maxBytes: String(limits.uploadBytes) }));
    }
    jsonAnswer(res, { ok: true, data: { upload: f.id, name: f.name, bytes: size } });
  }

  async function onEvents(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { clientId } = await liveSession(req);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.write(': coffer events\n\n');
    const open = streams.get(clientId) ?? new Set();
    open.add(res);
    streams.set(clientId, open);
    for (const e of waiting.get(clientId) ?? []) res.write(`data: ${JSON.stringify(e)}\n\n`);
    waiting.delete(clientId);
    const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(beat);
      open.delete(res);
    });
  }

  async function onDownload(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const { clientId } = await liveSession(req);
    const f = files.takeDownload(clientId, id);
    if (!f) throw border(404, refuse('NOT_FOUND', 'download_not_found', {}));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'application/octet-stream',
      'content-length': String(fs.statSync(f.path).size),
      'content-disposition': `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      'cache-control': 'no-store',
    });
    try {
      await pipeline(fs.createReadStream(f.path), res);
    } finally {
      files.drop(f);
    }
  }

  function onStatic(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): void {
    const root = o.consoleDir;
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, SECURITY_HEADERS).end();
    if (!root || !fs.existsSync(path.join(root, 'index.html')))
      return void res
        .writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
        .end('The console is not built here (npm run build).\n');
    let file = path.resolve(root, `.${urlPath === '/' ? '/index.html' : urlPath}`);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (path.extname(urlPath)) return void res.writeHead(404, SECURITY_HEADERS).end();
      file = path.join(root, 'index.html');
    }
    const type = STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream';
    if (file.endsWith('index.html')) {
      const html = fs.readFileSync(file, 'utf8').replace('<head>', `<head>\n    ${SERVED_MARK}`);
      return void res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store' }).end(html);
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  }

  const scheme = o.tls ? 'https' : 'http';
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    if (!urlPath.startsWith('/api/')) return onStatic(req, res, urlPath);
    // The API answers only its own pages: a browser names a foreign page in Origin (or Sec-Fetch-Site).
    const origin = req.headers.origin;
    if ((origin !== undefined && origin !== `${scheme}://${req.headers.host}`) || req.headers['sec-fetch-site'] === 'cross-site')
      throw border(403, refuse('FORBIDDEN', 'origin_refused', { origin: origin ?? 'another site' }));
    const route = `${req.method} ${urlPath}`;
    if (route === 'POST /api/call') return onCall(req, res);
    if (route === 'POST /api/upload') return onUpload(req, res);
    if (route === 'GET /api/events') return onEvents(req, res);
    const dl = /^GET \/api\/download\/([0-9a-f-]{36})$/.exec(route);
    if (dl) return onDownload(req, res, dl[1]!);
    throw border(404, refuse('NOT_FOUND', 'api_route_unknown', { path: `${req.method} ${urlPath}` }));
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(async (e: unknown) => {
      const status = e instanceof BorderRefusal ? e.status : 500;
      const error = toErrorBody(e instanceof BorderRefusal ? e.error : e, dispatcher.books);
      if (res.headersSent) return void res.destroy();
      if (!req.readableEnded) req.resume(); // refused before its body was read: let the body run out
      const retry = error.details.retryAfter;
      res.writeHead(status, {
        ...SECURITY_HEADERS,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...(typeof retry === 'number' ? { 'retry-after': String(retry) } : {}),
      });
      res.end(JSON.stringify({ ok: false, error }));
    });
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  }).catch((e: unknown) => {
    files.close();
    shelf.close();
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${scheme}://${shownHost}:${port}/`,
    dispatcher,
    async close() {
      for (const open of streams.values()) for (const res of open) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dispatcher.jobs.settle();
      files.close();
      shelf.close();
    },
  };
}

function jsonAnswer(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Reads a request to its end, handing each chunk to `take` until `max` bytes have come; past that it
 * reads on without keeping (so the refusal reaches the sender), and hangs up past 64 times `max`.
 */
function receive(req: http.IncomingMessage, max: number, take: (chunk: Buffer) => void): Promise<{ over: boolean; size: number }> {
  let size = 0;
  let over = Number(req.headers['content-length'] ?? 0) > max;
  return new Promise((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      if (!over) take(chunk);
      else if (size > max * 64) {
        req.socket.destroy();
        resolve({ over, size });
      }
    });
    req.on('end', () => resolve({ over, size }));
    req.on('error', reject);
  });
}

/** The body, or the refusal of one over `max` bytes. */
async function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { over } = await receive(req, max, (c) => chunks.push(c));
  if (over) throw border(413, refuse('LIMIT', 'request_too_large', { maxBytes: String(max) }));
  return Buffer.concat(chunks);
}
