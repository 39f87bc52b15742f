// coffer serve: the books to a team's browsers (issue 15 §2). main/serve/server.ts is the border; this
// opens the books, checks the listener and runs until Ctrl+C or SIGTERM.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { refuse } from '../domain/refusals';
import { checkListen, parseListen } from '../serve/border';
import { DEFAULT_LIMITS, startServe } from '../serve/server';
import { out, say, type Command } from './kit';
import { UsageError, required } from './usage';
import { openBooksAt } from './open';

/** The built console beside the bundled CLI (out/cli → out/renderer), or beside the sources. */
function consoleDir(): string | null {
  for (const rel of ['../renderer', '../../out/renderer']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (fs.existsSync(`${dir}/index.html`)) return dir;
  }
  return null;
}

const MiB = 1024 * 1024;

export const serveCommands: Command[] = [
  {
    name: 'serve',
    summary: 'serve the books to browsers on a network: the console and its API over HTTP(S)',
    options: {
      books: { type: 'string' },
      listen: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean' },
      'max-upload-mb': { type: 'string' },
    },
    help: `Usage: coffer serve --books FILE|URL --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--insecure]
                    [--max-upload-mb N]

Serves the books FILE, or books on PostgreSQL at a postgres:// URL, to a team: the console to a
browser at HOST:PORT, and under /api the same API the desktop console calls (the same input schemas,
role lists and four-eyes rules). Each person logs in at the console with their own user; the session
is a token the page holds (no cookies), which ends on logout, after the idle minutes of the setting
session.idleMinutes, or session.maxHours after its login however busy (12 by default). Sessions are
kept in a file beside a books file, or in a table of books on PostgreSQL (serve_sessions), shared by
every process serving the same books: several may serve one team. A URL's password is never printed.

  --listen HOST:PORT   127.0.0.1:8080 serves this machine only; [::1]:8080 for IPv6. An address other
                       machines can reach needs --tls-cert and --tls-key (PEM files), or --insecure
                       to serve plain HTTP on a network you trust.
  --max-upload-mb N    the largest statement or event file a browser may upload (default ${DEFAULT_LIMITS.uploadBytes / MiB});
                       a statement is then held to the readers' own limit, as a file chosen at the desktop.

Requests from pages of another origin are refused, password tries are limited per address
(${DEFAULT_LIMITS.loginAttempts} a minute) and a request body to ${DEFAULT_LIMITS.bodyBytes / MiB} MiB. Runs until Ctrl+C.`,
    async run(v) {
      required('serve', v, 'books', 'listen');
      const { host, port } = parseListen(v.listen as string);
      const [cert, key] = [v['tls-cert'] as string | undefined, v['tls-key'] as string | undefined];
      if ((cert === undefined) !== (key === undefined)) throw refuse('VALIDATION', 'serve_tls_pair', {}, { field: 'tls-key' });
      checkListen(host, cert !== undefined, !!v.insecure);
      const maxMb = v['max-upload-mb'] === undefined ? null : Number(v['max-upload-mb']);
      if (maxMb !== null && !(Number.isInteger(maxMb) && maxMb >= 1 && maxMb <= 4096))
        throw new UsageError('--max-upload-mb takes a whole number from 1 to 4096', 'serve');
      const books = await openBooksAt(v.books as string, 'write');
      const tls = cert && key ? { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } : undefined;
      const serving = await startServe({
        books,
        host,
        port,
        tls,
        insecure: !!v.insecure,
        consoleDir: consoleDir(),
        scanWorker: new URL('../main/scan-worker.js', import.meta.url),
        limits: maxMb === null ? {} : { uploadBytes: maxMb * MiB },
      }).catch(async (e: unknown) => {
        await books.close();
        throw e;
      });
      out(`Coffer serves ${books.path} at ${serving.url} (Ctrl+C stops)\n`);
      if (!consoleDir()) say('coffer serve: the console is not built here (npm run build); the API answers under /api');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      say('coffer serve: stopping');
      await serving.close();
      await serving.dispatcher.books.close();
      return 0;
    },
  },
];
