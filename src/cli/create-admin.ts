// `npm run admin:create -- <username>`: creates an admin console account, the password read from
// stdin (typed, or piped: `printf '%s' "$PW" | npm run admin:create -- lan`), so it never shows in
// the shell history or the process list. Uses the store chosen by the settings (MONGODB_URI).
import { createInterface } from 'node:readline';
import { loadConfig } from '../config';
import { createAccounts, createMemoryLoginThrottle, publicUser } from '../admin/accounts';
import { createPasswordHashing } from '../admin/password-hash';
import { recordChange } from '../admin/audit-trail';
import { isAppError } from '../shared/app-error';
import { createMemoryStores } from '../store/memory';
import { createMongoStores } from '../store/mongo';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 10 characters): ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(): Promise<number> {
  const username = process.argv[2];
  if (!username) {
    console.error('usage: npm run admin:create -- <username>   (in the image: node dist/src/cli/create-admin.js <username>; the password is read from stdin)');
    return 2;
  }
  const config = loadConfig();
  if (!config.mongodbUri) console.error('MONGODB_URI is unset: the account would live in this process only. Set MONGODB_URI to create a lasting account.');
  const stores = config.mongodbUri ? await createMongoStores(config.mongodbUri) : createMemoryStores();
  try {
    const hashing = createPasswordHashing();
    const accounts = createAccounts({ users: stores.users, throttle: createMemoryLoginThrottle(), hashing });
    const user = await accounts.create({ username, password: await readPassword(), role: 'admin' });
    await recordChange(stores.audit, { actor: 'cli', action: 'user.create', target: `user:${user.username}`, before: null, after: publicUser(user), at: Date.now() });
    console.log(`admin account "${user.username}" created`);
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      const problems = (err.details?.problems as { message: string }[] | undefined) ?? [];
      console.error(`not created: ${err.message}${problems.map((p) => `\n  - ${p.message}`).join('')}`);
      return 1;
    }
    throw err;
  } finally {
    await stores.health.close();
  }
}

void main().then((code) => process.exit(code));
