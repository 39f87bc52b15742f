// What the API needs from its surroundings, behind interfaces: file dialogs (Electron's in the
// console, a stub in tests, --out in the CLI) and the clock.
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface Dialogs {
  /** A path chosen by the user to write to, or null when they cancelled. */
  saveFile(o: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  /** A path chosen by the user to read, or null when they cancelled. */
  openFile(o: { title: string; filters: FileFilter[] }): Promise<string | null>;
}

export interface Ports {
  dialogs: Dialogs;
  clock: () => number;
}
