import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../accounts/account';
import { generatePassword, MIN_PASSWORD_LENGTH } from '../accounts/passwords';
import type { Services } from '../services';

export const ACCOUNT_USAGE = `  user add [--role owner|editor] EMAIL   create an account (default role: editor); prints its password
  user reset EMAIL                        a new password, printed once; ends every session and API token of the account
  user list                               every account with its role
  user remove EMAIL                       delete the account, its sessions and its API tokens
  token create EMAIL --name NAME          a personal API token for scripts, printed once
  token list [EMAIL]                      tokens (ids, names, dates; never the tokens)
  token revoke ID                         revoke a token by its id`;

export class UsageError extends Error {}

/** Reads a password from HALLO_PASSWORD, else generates one; returns it and whether to print it. */
function passwordToSet(): { password: string; print: boolean } {
  const given = process.env.HALLO_PASSWORD;
  if (given === undefined || given === '') return { password: generatePassword(), print: true };
  if (given.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`HALLO_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return { password: given, print: false };
}

async function userCommand(services: Services, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'editor' } },
  });
  const [action, email] = positionals;
  const { accounts, sessions, apiTokens } = services;
  if (action === 'list') {
    const all = await accounts.list();
    return (
      all.map((a) => `${a.email}\t${a.role}\tsince ${a.createdAt.slice(0, 10)}`).join('\n') ||
      'no accounts'
    );
  }
  if (!email || !email.includes('@'))
    throw new UsageError(`user ${action ?? ''}: an e-mail address is needed`);
  if (action === 'add') {
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    if (await accounts.getByEmail(email))
      throw new UsageError(`${email} already has an account; use "user reset"`);
    const { password, print } = passwordToSet();
    const account = await accounts.save(email, role, password);
    return `created ${account.email} (${account.role})${print ? `\npassword: ${password}` : ''}`;
  }
  const account = await accounts.getByEmail(email);
  if (!account) throw new UsageError(`no account for ${email}`);
  if (action === 'reset') {
    const { password, print } = passwordToSet();
    await accounts.setPassword(account, password);
    await sessions.destroyAllOf(account.id);
    const tokens = await apiTokens.revokeAllOf(account.id);
    return `new password for ${account.email}, signed out everywhere, ${tokens} API token(s) revoked${print ? `\npassword: ${password}` : ''}`;
  }
  if (action === 'remove') {
    const owners = (await accounts.list()).filter((a) => a.role === 'owner');
    if (account.role === 'owner' && owners.length === 1)
      throw new UsageError('the last owner cannot be removed');
    await sessions.destroyAllOf(account.id);
    const tokens = await apiTokens.revokeAllOf(account.id);
    await accounts.remove(account.id);
    return `removed ${account.email} and ${tokens} API token(s)`;
  }
  throw new UsageError(`unknown: user ${action ?? ''}`);
}

async function tokenCommand(services: Services, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' } },
  });
  const [action, target] = positionals;
  const { accounts, apiTokens } = services;
  if (action === 'revoke') {
    if (!target || !(await apiTokens.revoke(target)))
      throw new UsageError(`no token with id ${target ?? ''}`);
    return `revoked ${target}`;
  }
  const account = target ? await accounts.getByEmail(target) : undefined;
  if (target && !account) throw new UsageError(`no account for ${target}`);
  if (action === 'list') {
    const owners = new Map((await accounts.list()).map((a) => [a.id, a.email]));
    const tokens = await apiTokens.list(account?.id);
    return (
      tokens
        .map(
          (t) =>
            `${t.id}\t${owners.get(t.accountId) ?? '?'}\t${t.name}\t${t.createdAt.slice(0, 10)}`,
        )
        .join('\n') || 'no tokens'
    );
  }
  if (action === 'create') {
    if (!account) throw new UsageError('token create: an account e-mail is needed');
    if (!values.name) throw new UsageError('token create: --name is needed');
    const { token, record } = await apiTokens.create(account.id, values.name);
    return `token ${record.id} for ${account.email} (shown once):\n${token}`;
  }
  throw new UsageError(`unknown: token ${action ?? ''}`);
}

/** `hallo user …` and `hallo token …`; returns what to print. */
export function runAccountCommand(
  services: Services,
  command: 'user' | 'token',
  args: string[],
): Promise<string> {
  return command === 'user' ? userCommand(services, args) : tokenCommand(services, args);
}
