// main/db/schema.generated.ts is the migrated schema's Kysely types: regenerated here from a fresh
// books file, it must equal the committed file, so a migration that changes a table fails until the
// types follow it.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, generateSchemaTypes, interfaceName } from '../../scripts/gen-schema-types';

describe('schema types', () => {
  it('main/db/schema.generated.ts matches the migrated schema', async () => {
    const fresh = await generateSchemaTypes();
    const committed = fs.readFileSync(GENERATED_PATH, 'utf8');
    if (fresh !== committed) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i < 0 ? Math.min(a.length, b.length) : i;
      expect.fail(
        `main/db/schema.generated.ts differs from the migrated schema (first at line ${at + 1}: ` +
          `committed ${JSON.stringify(a[at])}, schema ${JSON.stringify(b[at])}). Run \`npm run gen:schema\` and commit the result.`,
      );
    }
  });

  it('names each table interface in the singular', () => {
    expect(interfaceName('accounts')).toBe('AccountTable');
    expect(interfaceName('earnings_accruals')).toBe('EarningsAccrualTable');
    expect(interfaceName('staff')).toBe('StaffTable');
    expect(interfaceName('audit')).toBe('AuditTable');
  });
});
