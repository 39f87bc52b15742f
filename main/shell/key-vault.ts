// The console's copy of each books key in the OS keychain: Electron's safeStorage encrypts it with a
// key the OS keeps (Keychain, DPAPI, libsecret), and the ciphertext lives in the user's data folder.
// Without OS encryption (a Linux desktop with no secret service) no copy is kept: the key file beside
// the books is then the only key, as for the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import type { KeyVault } from '../db/books-key';

export function keychainVault(userData: string): KeyVault {
  const dir = path.join(userData, 'books-keys');
  const file = (booksId: string) => path.join(dir, `${booksId.replace(/[^0-9a-f]/g, '')}.key`);
  return {
    load(booksId) {
      if (!safeStorage.isEncryptionAvailable()) return null;
      try {
        const hex = safeStorage.decryptString(fs.readFileSync(file(booksId)));
        return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
      } catch {
        return null;
      }
    },
    save(booksId, key) {
      if (!safeStorage.isEncryptionAvailable()) return;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file(booksId), safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
    },
  };
}
