// Why a books file cannot be opened. Raised before anything touches the file.
export type BooksFileProblem = 'not_found' | 'not_a_books_file' | 'newer_version' | 'corrupt' | 'in_use';

export class BooksFileError extends Error {
  constructor(
    readonly problem: BooksFileProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'BooksFileError';
  }
}
