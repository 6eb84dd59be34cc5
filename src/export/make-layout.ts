import { appWebhook } from '../definition/app-webhook';
import { connectionCommunication } from '../definition/connection-communication';
import type { AppDefinition } from '../definition/types';
import { appReadme } from './app-readme';
import { makeInterface } from './interface';
import { kebab, makeModuleId, makeWebhookId } from './make-names';
import type { MakeTree } from './make-tree';
import { exportedOutputSchema, moduleCommunication, needsConnection, rpcNames, webhookDirective, webhookParameters } from './webhook-directive';

// The extension writes JSON with four-space indentation; the same here keeps diffs quiet after a pull.
const json = (value: unknown): string => `${JSON.stringify(value, null, 4)}\n`;

/** The id of the app's only connection: the platform's short name, which is also its webhook's id (plugnpaid, plugandpay). */
export function connectionId(app: AppDefinition): string {
  return appWebhook(app)?.id ?? app.manifest.name;
}

/**
 * The Make local-development tree for an app: makecomapp.json and every component file, as text.
 * Pure and deterministic: the same definition gives the same bytes. `origins` (deploy targets and their id
 * mappings) are carried over from an earlier export, so re-exporting never loses where the app was deployed.
 */
export function buildMakeTree(app: AppDefinition, origins: unknown[] = []): MakeTree {
  const tree: MakeTree = new Map();
  const CONNECTION_ID = connectionId(app);
  const connectionDir = `connections/${kebab(CONNECTION_ID)}`;
  const connectionFiles = {
    communication: `${connectionDir}/${CONNECTION_ID}.communication.iml.json`,
    params: `${connectionDir}/${CONNECTION_ID}.params.iml.json`,
    common: null,
  };
  tree.set(connectionFiles.communication, json(connectionCommunication(app)));
  tree.set(connectionFiles.params, json(app.connection.parameters));

  const webhooks: Record<string, unknown> = {};
  const modules: Record<string, unknown> = {};
  const usedRpcs = new Set<string>();
  for (const module of app.modules) {
    const webhookId = makeWebhookId(module.name);
    const moduleId = makeModuleId(module.name);
    const webhookStem = kebab(webhookId);
    const webhookFiles = {
      communication: `webhooks/${webhookStem}/${webhookStem}.communication.iml.json`,
      params: `webhooks/${webhookStem}/${webhookStem}.params.iml.json`,
      attach: `webhooks/${webhookStem}/${webhookStem}.attach.iml.json`,
      detach: `webhooks/${webhookStem}/${webhookStem}.detach.iml.json`,
      update: `webhooks/${webhookStem}/${webhookStem}.update.iml.json`,
      requiredScope: `webhooks/${webhookStem}/${webhookStem}.required-scope.iml.json`,
    };
    const parameters = webhookParameters(app, module);
    rpcNames(parameters).forEach((name) => usedRpcs.add(name));
    tree.set(webhookFiles.communication, json(webhookDirective(app, module)));
    tree.set(webhookFiles.params, json(parameters));
    tree.set(webhookFiles.attach, json({}));
    tree.set(webhookFiles.detach, json({}));
    tree.set(webhookFiles.update, json({}));
    tree.set(webhookFiles.requiredScope, json([]));
    const { label } = module;
    webhooks[webhookId] = {
      label,
      webhookType: app.webhooks[module.webhook].type,
      // Make's docs on webhooks that are not attached: the connection is needed for RPCs in its parameters
      // and for an instant trigger whose communication makes a request.
      connection: needsConnection(parameters) || module.communication ? CONNECTION_ID : null,
      altConnection: null,
      codeFiles: webhookFiles,
    };

    const moduleStem = kebab(moduleId);
    const moduleFiles = {
      communication: `modules/${moduleStem}/${moduleStem}.communication.iml.json`,
      staticParams: `modules/${moduleStem}/${moduleStem}.static-params.iml.json`,
      mappableParams: `modules/${moduleStem}/${moduleStem}.mappable-params.iml.json`,
      interface: `modules/${moduleStem}/${moduleStem}.interface.iml.json`,
      samples: `modules/${moduleStem}/${moduleStem}.samples.iml.json`,
    };
    tree.set(moduleFiles.communication, json(moduleCommunication(module)));
    tree.set(moduleFiles.staticParams, json([]));
    tree.set(moduleFiles.mappableParams, json([]));
    tree.set(moduleFiles.interface, json(makeInterface(exportedOutputSchema(module))));
    tree.set(moduleFiles.samples, json(module.samples[0]?.bundles[0] ?? {}));
    modules[moduleId] = {
      label,
      description: module.description,
      moduleType: 'instant_trigger',
      // Only a module that fetches its object calls the API, and so needs the connection.
      connection: module.communication ? CONNECTION_ID : null,
      altConnection: null,
      webhook: webhookId,
      codeFiles: moduleFiles,
    };
  }

  // Only the RPCs an exported parameter fills: an RPC nothing in Make calls would be dead code there.
  const rpcs: Record<string, unknown> = {};
  for (const rpc of Object.values(app.rpcs).filter((candidate) => usedRpcs.has(candidate.id))) {
    const stem = kebab(rpc.id);
    const files = { communication: `rpcs/${stem}/${stem}.communication.iml.json`, params: `rpcs/${stem}/${stem}.params.iml.json` };
    tree.set(files.communication, json(rpc.communication));
    tree.set(files.params, json([]));
    rpcs[rpc.id] = { label: rpc.label, connection: CONNECTION_ID, altConnection: null, codeFiles: files };
  }

  const groupLabels = [...new Set(app.modules.map((module) => module.group))];
  const groups = groupLabels.map((label) => ({ label, modules: app.modules.filter((m) => m.group === label).map((m) => makeModuleId(m.name)) }));
  tree.set('general/base.iml.json', json(app.base));
  tree.set('modules/groups.json', json(groups));
  tree.set('README.md', appReadme(app));

  const makecomapp = {
    fileVersion: 1,
    generalCodeFiles: { base: 'general/base.iml.json', common: null, readme: 'README.md', groups: 'modules/groups.json' },
    components: {
      connection: { [CONNECTION_ID]: { label: app.connection.label, connectionType: app.connection.type, codeFiles: connectionFiles } },
      webhook: webhooks,
      module: modules,
      rpc: rpcs,
      function: {},
      endpoint: {},
    },
    origins,
  };
  tree.set('makecomapp.json', json(makecomapp));
  return new Map([...tree.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
