import type { AccountStore } from './account-store';
import { generatePassword } from './passwords';

/**
 * The embedded default's first start: with no account at all, create the owner and return the
 * password, to be printed once. Later starts return undefined.
 */
export async function bootstrapOwner(
  accounts: AccountStore,
  email: string,
): Promise<{ email: string; password: string } | undefined> {
  if (await accounts.hasAny()) return undefined;
  const password = generatePassword();
  await accounts.save(email, 'owner', password);
  return { email, password };
}
