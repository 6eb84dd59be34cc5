import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the generated admin token is kept (mode 0600), so local CLI commands can find it. */
export function adminTokenFile(dataDir: string): string {
  return join(dataDir, 'admin-token');
}

/** The admin token: the configured one, the stored one, or a new one (stored 0600); `created` on first start. */
export function loadAdminToken(dataDir: string, configured?: string): { token: string; created: boolean } {
  if (configured) return { token: configured, created: false };
  const file = adminTokenFile(dataDir);
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), created: false };
  const token = `pnpadm_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true };
}
