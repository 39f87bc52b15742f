// Files the user picked in a dialog, remembered in main and handed to the renderer as opaque tokens:
// a later call names the token, never a path, so the page cannot point Coffer at files of its choice.
import { randomUUID } from 'node:crypto';

export class FileChoices {
  private readonly chosen = new Map<string, { clientId: string; path: string }>();

  remember(clientId: string, path: string): string {
    const token = randomUUID();
    this.chosen.set(token, { clientId, path });
    if (this.chosen.size > 100) this.chosen.delete(this.chosen.keys().next().value!);
    return token;
  }

  /** The path behind a token this client was given, or undefined. */
  resolve(clientId: string, token: string): string | undefined {
    const c = this.chosen.get(token);
    return c && c.clientId === clientId ? c.path : undefined;
  }
}
