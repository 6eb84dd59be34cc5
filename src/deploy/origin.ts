/** The kinds of component makecomapp.json lists. */
export type ComponentType = 'connection' | 'webhook' | 'module' | 'rpc' | 'function' | 'endpoint';

/** A local ↔ remote name pair of one component. */
export interface Mapping {
  local: string | null;
  remote: string | null;
}

/** One entry of makecomapp.json `origins`: a custom app in a zone, and the remote names of its components. */
export interface Origin {
  label: string;
  baseUrl: string;
  appId: string;
  appVersion: number;
  apikeyFile: string;
  idMapping: Record<ComponentType, Mapping[]>;
}

/** Where the app goes: the zone's API URL, the custom app and its major version. */
export interface DeployTarget {
  url: string;
  appId: string;
  appVersion: number;
}

/** Make's zone API URL (`https://eu1.make.com/api`; an Ibexa Connect host with `/api`): its host, or undefined. */
export function zoneHost(url: string): string | undefined {
  return /^https:\/\/([^/]+)\/api\/?$/.exec(url)?.[1];
}

const noMappings = (): Record<ComponentType, Mapping[]> => ({ connection: [], webhook: [], module: [], rpc: [], function: [], endpoint: [] });

/**
 * The origin for a target among `origins`, added when missing (Make's extension reads the API key from
 * `apikeyFile`, relative to makecomapp.json; we never write the key). Mutates `origins`; returns the origin.
 */
export function originFor(origins: Origin[], target: DeployTarget): Origin {
  const baseUrl = target.url.replace(/\/$/, '');
  const existing = origins.find((origin) => origin.baseUrl === baseUrl && origin.appId === target.appId && origin.appVersion === target.appVersion);
  if (existing) {
    existing.idMapping = { ...noMappings(), ...existing.idMapping };
    return existing;
  }
  const origin: Origin = { label: `${target.appId} on ${new URL(baseUrl).host}`, baseUrl, appId: target.appId, appVersion: target.appVersion, apikeyFile: '.secrets/apikey', idMapping: noMappings() };
  origins.push(origin);
  return origin;
}
