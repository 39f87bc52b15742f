// The Electron shell: the only module that imports electron. It serves the UI from the app:// protocol
// with a strict CSP, denies navigation, new windows and permissions, and routes IPC from our own main
// frame to the core: a utility process (main/core/entry.ts) that holds the books and the same
// dispatcher that tests and the CLI use. The shell keeps the window, the protocol, the file dialogs,
// printing and the keychain, which the core asks for over the link (main/core/link.ts). Started with
// --server=ADDRESS (or COFFER_SERVER) it opens shared books instead: the console a `coffer serve` serves,
// its certificate pinned to the fingerprint the user confirmed on first use (main/serve/shared-books.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, utilityProcess, type WebContents } from 'electron';
import { keychainVault } from './key-vault';
import { CoreClient } from '../core/client';
import { IPC_EVENT, IPC_INVOKE } from '../api/method-names';
import type { Dialogs, Printer } from '../api/ports';
import { CofferError } from '../domain/errors';
import { fillTemplate } from '../domain/refusals';
import { fingerprintOfPem, presentedFingerprint, serverAddress, trustFor, TrustedServers } from '../serve/shared-books';
import { problemsZhCN } from '../../renderer/src/i18n/problems.zh-CN';

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.join(here, '../renderer');
const ORIGIN = 'app://coffer';
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** better-sqlite3 built for Electron lives apart from node_modules (which stays built for Node). */
function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const candidate = path.join(app.getAppPath(), '.electron-native/better-sqlite3/build/Release/better_sqlite3.node');
  return fs.existsSync(candidate) ? candidate : undefined;
}

function booksPath(): string {
  const arg = process.argv.find((a) => a.startsWith('--books='))?.slice('--books='.length) ?? process.env.COFFER_BOOKS;
  return arg ? path.resolve(arg) : path.join(app.getPath('userData'), 'coffer.books.sqlite');
}

/** The shared books' server, when the console was started for one. */
function sharedServer(): string | undefined {
  return process.argv.find((a) => a.startsWith('--server='))?.slice('--server='.length) ?? process.env.COFFER_SERVER;
}

/** A coded refusal in both languages for a shell dialog (the console is not there to translate it). */
function bothLanguages(e: unknown): string {
  if (!(e instanceof CofferError)) return e instanceof Error ? e.message : String(e);
  const reason = e.details.reason as string;
  const zh = (problemsZhCN as Record<string, string>)[`refusal.${reason}`];
  return zh
    ? `${fillTemplate(zh, (e.details.params ?? {}) as Record<string, string>, (_name, value) => value)}\n\n${e.message}`
    : e.message;
}

const bare = (host: string) => host.replace(/^\[|\]$/g, '');

/**
 * Trusts the server's certificate for this run: the one confirmed before at this address, or — the first
 * time — the one the user confirms now after comparing its fingerprint with the server's operator.
 */
async function pinServer(url: URL): Promise<boolean> {
  const trusted = new TrustedServers(path.join(app.getPath('userData'), 'trusted-servers.json'));
  const trust = trustFor(url, await presentedFingerprint(url), trusted.fingerprint(url));
  if (trust.kind === 'first-use') {
    const answer = await dialog.showMessageBox({
      type: 'question',
      title: 'Coffer',
      message: `首次连接 ${url.origin}：请与服务器管理员核对证书指纹。\nFirst connection to ${url.origin}: compare the certificate's fingerprint with whoever runs the server.`,
      detail: `SHA-256\n${trust.fingerprint}`,
      buttons: ['信任并连接 Trust and connect', '取消 Cancel'],
      defaultId: 1,
      cancelId: 1,
    });
    if (answer.response !== 0) return false;
    await trusted.remember(url, trust.fingerprint);
  }
  session.defaultSession.setCertificateVerifyProc((req, callback) => {
    if (bare(req.hostname) !== bare(url.hostname)) return callback(-3); // Chromium's own verdict
    callback(fingerprintOfPem(req.certificate.data) === trust.fingerprint ? 0 : -2);
  });
  return true;
}

function isOwnMainFrame(sender: WebContents, frame: Electron.WebFrameMain | null): boolean {
  if (!frame || frame !== sender.mainFrame) return false;
  try {
    return new URL(frame.url).origin === ORIGIN;
  } catch {
    return false;
  }
}

function makeDialogs(): Dialogs {
  return {
    async saveFile(o) {
      const win = BrowserWindow.getFocusedWindow();
      const r = win
        ? await dialog.showSaveDialog(win, { title: o.title, defaultPath: o.defaultName, filters: o.filters })
        : await dialog.showSaveDialog({ title: o.title, defaultPath: o.defaultName, filters: o.filters });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async openFile(o) {
      const win = BrowserWindow.getFocusedWindow();
      const opts = { title: o.title, filters: o.filters, properties: ['openFile' as const] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
  };
}

/** PDFs of printable pages: an offscreen window with JavaScript off loads the page and prints it. */
function makePrinter(): Printer {
  return {
    async htmlToPdf(html) {
      const win = new BrowserWindow({
        show: false,
        webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
      });
      try {
        await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
        return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
      } finally {
        win.destroy();
      }
    },
  };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();

  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = path.join(RENDERER_DIR, rel);
    if (!file.startsWith(RENDERER_DIR + path.sep)) return new Response('not found', { status: 404 });
    return net.fetch(`file://${file}`);
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });

  const shared = sharedServer();
  const server = shared === undefined ? null : serverAddress(shared);
  if (server && server.protocol === 'https:' && !(await pinServer(server))) return app.quit();
  // The window's own pages: Coffer's, or the shared books' server's (which then answers every call).
  const origin = server ? server.origin : ORIGIN;

  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(origin + '/')) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  const core = server ? null : await startCore();
  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 1100,
      minHeight: 700,
      title: server ? `Coffer — ${server.host}` : 'Coffer',
      show: false,
      webPreferences: {
        // a served console talks to its server over HTTPS: it gets no bridge to this machine's core
        ...(core ? { preload: path.join(here, '../preload/index.cjs') } : {}),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    if (core) win.webContents.on('destroyed', () => core.endClient(`wc-${win.webContents.id}`));
    void win.loadURL(server ? server.href : `${ORIGIN}/index.html`);
    return win;
  };

  let mainWindow = createWindow();
  app.on('second-instance', () => {
    if (mainWindow.isDestroyed()) mainWindow = createWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    void (core?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}

/** The core process with the books, and the one IPC channel from Coffer's own window to it. */
async function startCore(): Promise<CoreClient> {
  const windows = new Map<string, WebContents>();
  const child = utilityProcess.fork(path.join(here, 'core.js'), [], { serviceName: 'Coffer core', stdio: 'inherit' });
  const core = new CoreClient(
    { post: (m) => child.postMessage(m), listen: (f) => child.on('message', f) },
    { dialogs: makeDialogs(), printer: makePrinter(), vault: keychainVault(app.getPath('userData')) },
    (clientId, event) => windows.get(clientId)?.send(IPC_EVENT, event),
  );
  child.on('exit', (code) => core.exited(`exit code ${code}`));
  await core.open(booksPath(), electronNativeBinding());

  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, input: unknown) => {
    if (!isOwnMainFrame(event.sender, event.senderFrame)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'calls are accepted only from Coffer’s own window', details: {} } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'VALIDATION', message: 'method must be a string', details: {} } };
    const clientId = `wc-${event.sender.id}`;
    windows.set(clientId, event.sender);
    return core.dispatch(clientId, method, input);
  });
  return core;
}

main().catch((e: unknown) => {
  dialog.showErrorBox('Coffer cannot start', bothLanguages(e));
  app.exit(1);
});
