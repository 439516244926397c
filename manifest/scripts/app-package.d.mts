// Types of app-package.mjs, for the TypeScript tests that import it.
import type { TeamsManifestLatest } from '@microsoft/app-manifest';

export interface Placeholder {
  name: string;
  /** JSON pointer of the string that holds it, e.g. `/configurableTabs/0/configurationUrl`. */
  path: string;
}

export interface FoundUrl {
  path: string;
  url: string;
}

export interface StageEnv {
  stage: string;
  values: Record<string, string>;
  files: string[];
}

export interface GraphPermission {
  name: string;
  type: 'Scope' | 'Role';
  id: string;
}

export type BuildResult =
  | {
      ok: true;
      stage: string;
      warnings: string[];
      manifest: TeamsManifestLatest;
      entraApp: Record<string, unknown>;
      manifestPath: string;
      entraAppPath: string;
      zipPath: string;
      entries: string[];
    }
  | {
      ok: false;
      stage: string;
      warnings: string[];
      problems: string[];
      manifestPath?: string;
      entraAppPath?: string;
    };

export const MANIFEST_DIR: string;
export const MICROSOFT_GRAPH_APP_ID: string;
export const TEAMS_HOST_CLIENT_IDS: readonly { name: string; appId: string }[];
export const GRAPH_PERMISSIONS: readonly GraphPermission[];

export function parseEnv(text: string, source: string): Record<string, string>;
export function listStages(manifestDir?: string): string[];
export function loadStageEnv(stage: string, manifestDir?: string): Promise<StageEnv>;
export function fillTemplate(
  template: unknown,
  values: Readonly<Record<string, string>>,
): { value: unknown; missing: Placeholder[] };
export function findPlaceholders(value: unknown): Placeholder[];
export function bundledSchemaFile(schemaUrl: string): string | undefined;
export function latestBundledTeamsSchema(): { version: string; url: string };
export function validateManifestSchema(manifest: unknown): Promise<string[]>;
export function collectUrls(manifest: unknown): FoundUrl[];
export function isHostInValidDomains(host: string, validDomains: readonly string[]): boolean;
export function checkValidDomains(validDomains: unknown): string[];
export function checkManifestUrls(manifest: unknown): string[];
export function checkProductionManifest(manifest: unknown): string[];
export function checkIcons(icons: { color: Uint8Array; outline: Uint8Array }): string[];
export function checkEntraApp(entraApp: unknown, manifest: unknown): string[];
export function checkManifest(manifest: unknown): Promise<string[]>;
export function buildAppPackage(options: {
  stage: string;
  manifestDir?: string;
  outDir?: string;
  template?: unknown;
}): Promise<BuildResult>;
