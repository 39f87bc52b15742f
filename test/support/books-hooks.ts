// Books a vitest file (or describe block) works on, made by its before hook and removed with their folder
// by its after hook, so that a file says only what it does with them: `use` is handed the new books in
// the before hook (to keep them in the file's own variables and to seed them). Vitest only: the
// Playwright specs make their books through the harness. withStaffedApi and withBankDesk do the same for a
// staffedApi and a bankDesk, before and after each test.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Dispatcher } from '../../main/api/dispatcher';
import { staffBooks } from './cli-run';
import { bankDesk, type DeskOptions, type Payers } from './desk';
import type { addStaff } from './staff';
import { scratchBooks, staffedApi, type Call, type ScratchBooks, type TestApi } from './temp-books';

/** scratchBooks made before each test (`each`) or once before all of them (`all`), handed to `use`, and removed after. */
export function withScratchBooks(
  when: 'each' | 'all',
  use: (made: ScratchBooks) => unknown,
  o: { prefix?: string; name?: string } = {},
): void {
  let made: ScratchBooks | undefined;
  (when === 'each' ? beforeEach : beforeAll)(async () => {
    made = await scratchBooks(o.prefix, o.name);
    await use(made);
  });
  (when === 'each' ? afterEach : afterAll)(async () => {
    await made?.remove();
    made = undefined;
  });
}

/** What the CLI tests run `coffer` against: the books, their folder, and what --db names (the file, or on PostgreSQL their URL). */
export interface CliBooks {
  made: ScratchBooks;
  dir: string;
  db: string;
  /** The API as the staff, each a client of its username, and the dispatcher for more seeding (staffBooks). */
  as: Call;
  dispatcher: Dispatcher;
}

/** Books named books.sqlite in a temp folder (`prefix`) for all of the file's tests, with `staff` added by their first admin. */
export function withCliBooks(prefix: string, staff: Parameters<typeof addStaff>[1][], use: (cli: CliBooks) => unknown): void {
  withScratchBooks('all', async (made) => use({ made, dir: made.dir, db: made.books.path, ...(await staffBooks(made.books, staff)) }), {
    prefix,
    name: 'books.sqlite',
  });
}

/** Books `make` makes before each test, handed to `use` (`apiOf` says whose TestApi they are), and cleaned up after it. */
function withEachTestApi<D>(make: () => Promise<D>, apiOf: (made: D) => TestApi, use: (made: D) => unknown): void {
  let t: TestApi | undefined;
  beforeEach(async () => {
    const made = await make();
    t = apiOf(made);
    await use(made);
  });
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
}

/** staffedApi's books (the first admin, clerk, approver and auditor), made before each test and handed to `use`, and cleaned up after it. */
export function withStaffedApi(use: (t: TestApi) => unknown): void {
  withEachTestApi(staffedApi, (t) => t, use);
}

/** The bankDesk of `o` with payers named `names`, made before each test and handed to `use`, and cleaned up after it. */
export function withBankDesk<const N extends readonly string[]>(
  o: DeskOptions,
  names: N,
  use: (desk: [TestApi, ...Payers<N>]) => unknown,
): void {
  withEachTestApi(
    async () => (await bankDesk(o, ...names)) as [TestApi, ...Payers<N>],
    (desk) => desk[0],
    use,
  );
}
