import type { AppDefinition } from '../definition/types';
import { StartError } from './start-error';
import type { Store } from './store/store';

/** The app a data folder belongs to, as recorded in its settings on first start. */
export interface StoreOwner {
  name: string;
  label: string;
  version: string;
}

const SETTING = 'app';

const describe = (owner: StoreOwner) => `${owner.label} (${owner.name} ${owner.version})`;

/**
 * Makes sure the store belongs to `app`: records it on first start (and a newer version of it later), and refuses
 * another app, whose webhooks, triggers and events would otherwise mix with this one's. A store from before the
 * app was recorded is claimed only when every trigger in it names one of this app's modules.
 */
export function claimStore(store: Store, app: AppDefinition, dataDir: string): void {
  const current: StoreOwner = { name: app.manifest.name, label: app.manifest.label, version: app.manifest.version };
  const suggestion = `Start ${current.label} on its own data folder, e.g. --data ./data-${current.name} (and its own --port when both run).`;
  const recorded = store.sql.setting.get(SETTING);
  if (recorded) {
    const owner = JSON.parse(recorded.value) as StoreOwner;
    if (owner.name !== current.name) throw new StartError(`${dataDir} holds the data of ${describe(owner)}, not of ${describe(current)}. ${suggestion}`);
    if (owner.version !== current.version) store.sql.putSetting.run(SETTING, JSON.stringify(current));
    return;
  }
  const modules = new Set(app.modules.map((module) => module.name));
  const foreign = (store.db.prepare('SELECT DISTINCT module FROM triggers').all() as Array<{ module: string }>).map((row) => row.module).filter((name) => !modules.has(name));
  if (foreign.length > 0) {
    throw new StartError(`${dataDir} holds triggers of another app (modules ${foreign.join(', ')}), not of ${describe(current)}. ${suggestion}`);
  }
  store.sql.putSetting.run(SETTING, JSON.stringify(current));
}
