/**
 * An agent's own presence as the console shows it: available, away, or offline (no console open
 * within the presence timeout).
 */
import type { StaffPresence } from '../../../storage/types.js';
import type { StaffModuleOptions } from '../contract.js';

export async function currentStatus(
  options: Pick<StaffModuleOptions, 'stores' | 'config'>,
  username: string,
): Promise<StaffPresence['status'] | 'offline'> {
  const since = new Date(Date.now() - options.config.staff.presenceSeconds * 1000).toISOString();
  const online = await options.stores.presence.online(since);
  return online.find((p) => p.username === username)?.status ?? 'offline';
}
