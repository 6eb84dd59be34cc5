import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MakeCall, MakeClient } from './make-client';
import { ComponentType, DeployTarget, Origin, originFor } from './origin';

interface Component {
  label?: string;
  description?: string;
  connection?: string | null;
  altConnection?: string | null;
  webhook?: string | null;
  codeFiles: Record<string, string | null>;
}
interface MakecomappJson {
  generalCodeFiles: Record<string, string | null>;
  components: Record<ComponentType, Record<string, Component | null>>;
  origins: Origin[];
}

const SECTION_OF: Record<string, string> = {
  communication: 'api',
  params: 'parameters',
  staticParams: 'parameters',
  mappableParams: 'expect',
  interface: 'interface',
  samples: 'samples',
  attach: 'attach',
  detach: 'detach',
  update: 'update',
  requiredScope: 'scope',
};

/**
 * Deploys an exported tree in Make's order (general sections, connection, RPCs, webhooks, modules, groups,
 * then metadata), creating what has no remote name yet and recording each new name in makecomapp.json at once,
 * so a second deploy (or one after an interruption) only updates.
 */
export class Deployer {
  private readonly file: string;
  private readonly app: MakecomappJson;
  private readonly origin: Origin;

  constructor(
    private readonly dir: string,
    private readonly target: DeployTarget,
    private readonly client: MakeClient | undefined,
    private readonly report: (line: string) => void,
  ) {
    this.file = join(dir, 'makecomapp.json');
    this.app = JSON.parse(readFileSync(this.file, 'utf8')) as MakecomappJson;
    this.origin = this.findOrAddOrigin();
  }

  /** Runs the deploy (or, without a client, prints the plan); returns the calls made or planned. */
  async run(): Promise<MakeCall[]> {
    const calls: MakeCall[] = [];
    const { appId, appVersion } = this.target;
    const versioned = `/sdk/apps/${appId}/${appVersion}`;
    const send = async <T>(call: MakeCall, what: string): Promise<T | undefined> => {
      calls.push(call);
      this.report(`${this.client ? '' : '[dry run] '}${what}: ${call.method} ${call.path}`);
      return this.client ? this.client.send<T>(call) : undefined;
    };
    const text = (path: string | null | undefined) => readFileSync(join(this.dir, path as string), 'utf8');
    const { generalCodeFiles: general, components } = this.app;

    if (general.base) await send({ method: 'PUT', path: `${versioned}/base`, body: text(general.base), contentType: 'application/jsonc' }, 'base');
    if (general.readme) await send({ method: 'PUT', path: `${versioned}/readme`, body: text(general.readme), contentType: 'text/markdown' }, 'docs');

    for (const [id, connection] of entries(components.connection)) {
      const name = await this.ensure('connection', id, async () => {
        const created = await send<{ appConnection: { name: string } }>({ method: 'POST', path: `/sdk/apps/${appId}/connections`, body: { type: 'basic', label: connection.label ?? id } }, `create connection ${id}`);
        return created?.appConnection.name;
      });
      await this.putSections(send, `/sdk/apps/connections/${name}`, connection, `connection ${id}`);
    }
    for (const [id, rpc] of entries(components.rpc)) {
      const name = await this.ensure('rpc', id, async () => {
        await send({ method: 'POST', path: `${versioned}/rpcs`, body: { name: id, label: rpc.label ?? id, connection: this.remote('connection', rpc.connection), altConnection: null } }, `create RPC ${id}`);
        return id;
      });
      await this.putSections(send, `${versioned}/rpcs/${name}`, rpc, `RPC ${id}`);
    }
    for (const [id, webhook] of entries(components.webhook)) {
      const name = await this.ensure('webhook', id, async () => {
        const body = { type: 'web', label: webhook.label ?? id, connection: this.remote('connection', webhook.connection), altConnection: null };
        const created = await send<{ appWebhook: { name: string } }>({ method: 'POST', path: `/sdk/apps/${appId}/webhooks`, body }, `create webhook ${id}`);
        return created?.appWebhook.name;
      });
      await this.putSections(send, `/sdk/apps/webhooks/${name}`, webhook, `webhook ${id}`);
    }
    for (const [id, module] of entries(components.module)) {
      const name = await this.ensure('module', id, async () => {
        const body = { name: id, typeId: 10, label: module.label ?? id, description: module.description ?? '', moduleInitMode: 'blank', webhook: this.remote('webhook', module.webhook), connection: this.remote('connection', module.connection), altConnection: null };
        await send({ method: 'POST', path: `${versioned}/modules`, body }, `create module ${id}`);
        return id;
      });
      await this.putSections(send, `${versioned}/modules/${name}`, module, `module ${id}`);
    }
    if (general.groups) await send({ method: 'PUT', path: `${versioned}/groups`, body: text(general.groups), contentType: 'application/jsonc' }, 'groups');

    for (const [id, connection] of entries(components.connection)) {
      await send({ method: 'PATCH', path: `/sdk/apps/connections/${this.remote('connection', id)}`, body: { label: connection.label ?? id } }, `label of connection ${id}`);
    }
    for (const [id, webhook] of entries(components.webhook)) {
      const body = { label: webhook.label ?? id, connection: this.remote('connection', webhook.connection), altConnection: null };
      await send({ method: 'PATCH', path: `/sdk/apps/webhooks/${this.remote('webhook', id)}`, body }, `metadata of webhook ${id}`);
    }
    for (const [id, module] of entries(components.module)) {
      const body = { label: module.label ?? id, description: module.description ?? '', typeId: 10, webhook: this.remote('webhook', module.webhook), connection: this.remote('connection', module.connection), altConnection: null };
      await send({ method: 'PATCH', path: `${versioned}/modules/${this.remote('module', id)}`, body }, `metadata of module ${id}`);
    }
    return calls;
  }

  private async putSections(send: (call: MakeCall, what: string) => Promise<unknown>, base: string, component: Component, what: string): Promise<void> {
    for (const [key, path] of Object.entries(component.codeFiles)) {
      if (!path || !SECTION_OF[key]) continue;
      await send({ method: 'PUT', path: `${base}/${SECTION_OF[key]}`, body: readFileSync(join(this.dir, path), 'utf8'), contentType: 'application/jsonc' }, `${what} ${SECTION_OF[key]}`);
    }
  }

  /** The remote name of a local component; created (and recorded at once) when it has none yet. */
  private async ensure(type: ComponentType, local: string, create: () => Promise<string | undefined>): Promise<string> {
    const known = this.origin.idMapping[type].find((entry) => entry.local === local)?.remote;
    if (known) return known;
    const created = await create();
    if (!this.client) return `<new ${type} ${local}>`;
    if (!created) throw new Error(`Make did not return a name for the new ${type} ${local}`);
    this.origin.idMapping[type].push({ local, remote: created });
    writeFileSync(this.file, `${JSON.stringify(this.app, null, 4)}\n`);
    return created;
  }

  private remote(type: ComponentType, local: string | null | undefined): string | null {
    if (!local) return null;
    return this.origin.idMapping[type].find((entry) => entry.local === local)?.remote ?? `<new ${type} ${local}>`;
  }

  private findOrAddOrigin(): Origin {
    return originFor(this.app.origins, this.target);
  }
}

function entries(record: Record<string, Component | null>): Array<[string, Component]> {
  return Object.entries(record).filter((entry): entry is [string, Component] => entry[1] !== null);
}
