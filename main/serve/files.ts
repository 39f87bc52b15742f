// Files crossing `coffer serve`: what a browser uploads stands in for the open dialog's choice, and
// what a method saves (the save dialog's answer) is kept for that session to download once. Both live
// in a folder of the server's own, removed when it stops; each belongs to the client that made it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The content types of the built console's files. */
export const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface ServedFile {
  id: string;
  clientId: string;
  /** The file's own name, as the method and the browser see it. */
  name: string;
  path: string;
}

/** A name that is only a name: no folders, no control characters, not empty. */
export function safeName(raw: string, fallback: string): string {
  const name = [...path.basename(raw.replace(/\\/g, '/'))]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return name === '' || name === '.' || name === '..' ? fallback : name.slice(-200);
}

export class FileRoom {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-serve-'));
  private readonly uploads = new Map<string, ServedFile>();
  private readonly downloads = new Map<string, ServedFile>();

  /** A new file's place in a folder of its own (so its name stays the one given), kept among `files`. */
  private place(files: Map<string, ServedFile>, clientId: string, name: string): ServedFile {
    const id = randomUUID();
    const folder = path.join(this.dir, id);
    fs.mkdirSync(folder);
    const f = { id, clientId, name, path: path.join(folder, name) };
    files.set(id, f);
    this.trim(files);
    return f;
  }

  newUpload(clientId: string, rawName: string): ServedFile {
    return this.place(this.uploads, clientId, safeName(rawName, 'upload'));
  }

  /** The path of an upload this client made; it stays (a preview's token is imported later). */
  upload(clientId: string, id: string): string | undefined {
    const f = this.uploads.get(id);
    return f && f.clientId === clientId ? f.path : undefined;
  }

  newDownload(clientId: string, defaultName: string): ServedFile {
    return this.place(this.downloads, clientId, safeName(defaultName, 'download'));
  }

  /** A finished download of this client's, taken: it is served once. */
  takeDownload(clientId: string, id: string): ServedFile | undefined {
    const f = this.downloads.get(id);
    if (!f || f.clientId !== clientId || !fs.existsSync(f.path)) return undefined;
    this.downloads.delete(id);
    return f;
  }

  drop(f: ServedFile): void {
    this.uploads.delete(f.id);
    this.downloads.delete(f.id);
    fs.rmSync(path.dirname(f.path), { recursive: true, force: true });
  }

  private trim(files: Map<string, ServedFile>): void {
    while (files.size > 200) this.drop(files.values().next().value!);
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
