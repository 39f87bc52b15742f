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

/** Turns a self-contained HTML page into a PDF (Electron's printToPDF in the console; Chromium in tests). */
export interface Printer {
  htmlToPdf(html: string): Promise<Buffer>;
}

export interface Ports {
  dialogs: Dialogs;
  clock: () => number;
  /** Absent where no browser engine is at hand (the CLI): records are then saved as HTML. */
  printer?: Printer;
  /**
   * The callers are on other machines (coffer serve): what is this machine's own (the books file's path)
   * is not told to them, least of all before they log in.
   */
  remote?: boolean;
}
