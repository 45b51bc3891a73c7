// Reading the HubSpot project's files the way the HubSpot CLI does, for the offline structure test.
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
/** The app events, kept out of src/ until the second upload (README, "Deploying"). */
export const APP_EVENTS_DIR = path.join(PROJECT_ROOT, 'app-events');
/** The example profile, kept out of src/: the CLI reads every src/hsprofile.*.json as a real profile. */
export const EXAMPLE_PROFILE_FILE = path.join(PROJECT_ROOT, 'hsprofile.example.json');

export type JsonObject = { [key: string]: unknown };

export interface HsMetaFile {
  /** Path relative to the project's source directory, POSIX separators (as HubSpot reports it). */
  relativePath: string;
  absolutePath: string;
  /** The parsed file, or undefined when it is not valid JSON. */
  content: unknown;
  parseError?: string;
}

export interface ProjectConfig {
  name: string;
  srcDir: string;
  platformVersion: string;
}

export interface HsProfile {
  accountId: number;
  variables: Record<string, string | number | boolean>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function readProjectConfig(): ProjectConfig {
  return readJson(path.join(PROJECT_ROOT, 'hsproject.json')) as ProjectConfig;
}

export function sourceDir(): string {
  return path.join(PROJECT_ROOT, readProjectConfig().srcDir);
}

/** Every `*-hsmeta.json` under the source directory, node_modules excluded, in a stable order. */
export function findHsMetaFiles(srcDir: string): HsMetaFile[] {
  const found: HsMetaFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const absolutePath = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolutePath);
      else if (entry.name.endsWith('-hsmeta.json')) found.push(parseHsMetaFile(srcDir, absolutePath));
    }
  };
  walk(srcDir);
  return found.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}

function parseHsMetaFile(srcDir: string, absolutePath: string): HsMetaFile {
  const relativePath = path.relative(srcDir, absolutePath).split(path.sep).join('/');
  try {
    return { relativePath, absolutePath, content: readJson(absolutePath) };
  } catch (error) {
    return { relativePath, absolutePath, content: undefined, parseError: String(error) };
  }
}

export function readExampleProfile(): HsProfile {
  return readJson(EXAMPLE_PROFILE_FILE) as HsProfile;
}

/**
 * The source folder as an operator uploads it, in a temporary folder: src/ with the example copied in as
 * profile "example" and, for the second upload, the app events copied to app/app-events. Returns its path.
 */
export function stageUpload({ withAppEvents }: { withAppEvents: boolean }): string {
  const staged = path.join(mkdtempSync(path.join(tmpdir(), 'hs-upload-')), 'src');
  cpSync(sourceDir(), staged, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  cpSync(EXAMPLE_PROFILE_FILE, path.join(staged, 'hsprofile.example.json'));
  if (withAppEvents) cpSync(APP_EVENTS_DIR, path.join(staged, 'app', 'app-events'), { recursive: true });
  return staged;
}

const PROFILE_VARIABLE = /\$\{([^}]*)\}/g;

/** Names of the `${VAR}` profile variables used anywhere in a value (strings at any depth). */
export function profileVariablesUsed(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (text) => {
    for (const match of text.matchAll(PROFILE_VARIABLE)) names.add(match[1] ?? '');
  });
  return [...names].sort();
}

/** Replaces `${VAR}` in every string, as `hs project upload --profile` does; unknown names stay as they are. */
export function applyProfile(value: unknown, variables: HsProfile['variables']): unknown {
  if (typeof value === 'string') {
    return value.replace(PROFILE_VARIABLE, (whole, name: string) =>
      name in variables ? String(variables[name]) : whole,
    );
  }
  if (Array.isArray(value)) return value.map((item) => applyProfile(item, variables));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, applyProfile(item, variables)]));
  }
  return value;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => visitStrings(item, visit));
  else if (isObject(value)) Object.values(value).forEach((item) => visitStrings(item, visit));
}

/** Where an hsmeta `entrypoint` ("/app/cards/LineCard.tsx") points on disk: it is relative to the source directory. */
export function entrypointPath(srcDir: string, entrypoint: string): string {
  return path.join(srcDir, entrypoint.replace(/^\/+/, ''));
}

/** Relative import specifiers of a source file (`import ... from './x'`, `import('./x')`, `export ... from './x'`). */
export function relativeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]*)['"]/g)) {
    specifiers.push(match[1] ?? '');
  }
  return specifiers;
}

/** Every `{{name}}` a HubSpot timeline template reads; block helpers (`{{#if x}}`, `{{/if}}`) are skipped. */
export function templateTokens(template: string): string[] {
  const tokens = new Set<string>();
  for (const match of template.matchAll(/\{\{\s*([^#/!>\s}][^\s}]*)\s*\}\}/g)) tokens.add(match[1] ?? '');
  return [...tokens];
}

/** JavaScript/TypeScript sources under a folder (node_modules excluded). */
export function sourceFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const absolutePath = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFilesUnder(absolutePath));
    else if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name)) files.push(absolutePath);
  }
  return files.sort();
}
