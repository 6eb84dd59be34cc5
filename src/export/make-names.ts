/** Make's local ID of a module: camelCase without dashes (watch-one-time-sale → watchOneTimeSale). */
export function makeModuleId(folder: string): string {
  return folder.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Make's local ID of the webhook dedicated to a module (watch-one-time-sale → one-time-sale). */
export function makeWebhookId(folder: string): string {
  return folder.replace(/^watch-/, '');
}

/** The folder and file stem Make's extension uses for a local ID (camelCase → kebab-case). */
export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
