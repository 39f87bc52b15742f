// A self-signed certificate for localhost made with openssl, for servers under test that speak TLS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function selfSignedCert(dir: string): { cert: Buffer; key: Buffer; certFile: string } {
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const subject = ['-subj', '/CN=localhost', '-keyout', keyFile, '-out', certFile];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', ...subject],
    {
      stdio: 'ignore',
    },
  );
  return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile), certFile };
}
