// Offline checks of the HubSpot project (hsproject.json + src/): what `hs project upload` would reject
// before it ever reaches HubSpot's schema validation, plus the contract between the project and the backend.
// Both uploads are checked as the operator makes them (README, "Deploying"): the first is src/ as it is,
// the second adds the app events from app-events/.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED_TOP_LEVEL_FIELDS, Components } from '@hubspot/project-parsing-lib/constants';
import { getAllHsProfiles, validateProfileVariables } from '@hubspot/project-parsing-lib/profiles';
import { isKnownPlatformVersion, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import {
  APP_EVENTS_DIR,
  PROJECT_ROOT,
  applyProfile,
  entrypointPath,
  findHsMetaFiles,
  isObject,
  profileVariablesUsed,
  readExampleProfile,
  readJson,
  readProjectConfig,
  relativeImports,
  sourceDir,
  sourceFilesUnder,
  stageUpload,
  templateTokens,
} from './hsmeta.ts';
import type { JsonObject } from './hsmeta.ts';

/**
 * Exactly the scopes the features use (backend/src/install/scopes.ts names the code behind each): HubSpot's
 * listing review refuses an app that asks for more.
 */
const FEATURE_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'automation',
  'timeline',
  'settings.users.read',
  'files',
];

interface Component {
  file: string;
  uid: string;
  type: string;
  config: JsonObject;
}

interface AppConfig {
  name: string;
  distribution: string;
  auth: { type: string; redirectUrls: string[]; requiredScopes: string[]; optionalScopes?: string[] };
  permittedUrls: { fetch: string[]; img: string[]; iframe: string[] };
  support: { supportEmail: string; supportUrl: string; documentationUrl: string };
}

interface WebhooksConfig {
  settings: { targetUrl: string; maxConcurrentRequests: number };
  subscriptions: {
    legacyCrmObjects?: { subscriptionType: string; propertyName?: string; active: boolean }[];
    hubEvents?: { subscriptionType: string; active: boolean }[];
  };
}

interface AppEventConfig {
  name: string;
  objectType: string;
  headerTemplate: string;
  detailTemplate: string;
  properties: { name: string; label: string; type: string; options?: { value: string; label: string }[] }[];
}

const project = readProjectConfig();
const firstUploadDir = stageUpload({ withAppEvents: false });
const secondUploadDir = stageUpload({ withAppEvents: true });
afterAll(() => {
  for (const staged of [firstUploadDir, secondUploadDir]) rmSync(path.dirname(staged), { recursive: true, force: true });
});
// Every component is checked where the second upload puts it; the first upload is the same minus app events.
const srcDir = secondUploadDir;
const hsMetaFiles = findHsMetaFiles(srcDir);
const profile = readExampleProfile();

const components: Component[] = hsMetaFiles.flatMap((file) => {
  const { content } = file;
  if (!isObject(content) || typeof content.uid !== 'string' || typeof content.type !== 'string') return [];
  if (!isObject(content.config)) return [];
  return [{ file: file.relativePath, uid: content.uid, type: content.type, config: content.config }];
});

function componentsOfType(type: string): Component[] {
  return components.filter((component) => component.type === type);
}

function single(type: string): Component {
  const found = componentsOfType(type);
  expect(found.map((component) => component.file), `exactly one ${type} component`).toHaveLength(1);
  return found[0];
}

/** A component's config as HubSpot sees it after `--profile example`. */
function resolved<T>(component: Component): T {
  return applyProfile(component.config, profile.variables) as T;
}

function expectPublicHttpsUrl(url: string): void {
  const parsed = new URL(url);
  expect(parsed.protocol, url).toBe('https:');
  const loopback = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(parsed.hostname);
  expect(loopback || parsed.hostname.endsWith('.localhost'), `${url} must not point at this machine`).toBe(false);
}

describe('hsproject.json', () => {
  it('names the project, its source folder and a platform version the tooling knows', () => {
    expect(project).toEqual({ name: 'line-for-hubspot', srcDir: 'src', platformVersion: '2026.03' });
    expect(() => parseProjectConfig(PROJECT_ROOT)).not.toThrow();
    expect(isKnownPlatformVersion(project.platformVersion)).toBe(true);
  });
});

describe('*-hsmeta.json files', () => {
  it('are found', () => {
    expect(hsMetaFiles.length).toBeGreaterThanOrEqual(6);
  });

  it('are JSON objects with uid, type and config and no other top-level fields than HubSpot allows', () => {
    for (const file of hsMetaFiles) {
      expect(file.parseError, `${file.relativePath} is not valid JSON`).toBeUndefined();
      expect(isObject(file.content), `${file.relativePath} must hold a JSON object`).toBe(true);
      const content = file.content as JsonObject;
      expect(typeof content.uid, `${file.relativePath}: uid`).toBe('string');
      expect(typeof content.type, `${file.relativePath}: type`).toBe('string');
      expect(isObject(content.config), `${file.relativePath}: config`).toBe(true);
      const unexpected = Object.keys(content).filter((key) => !(ALLOWED_TOP_LEVEL_FIELDS as Set<string>).has(key));
      expect(unexpected, `${file.relativePath}: unexpected top-level fields`).toEqual([]);
    }
    expect(components).toHaveLength(hsMetaFiles.length);
  });

  it('have unique uids of 1-64 characters from [A-Za-z0-9_.-]', () => {
    for (const { file, uid } of components) {
      expect(uid, file).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
      expect(validateUid(uid), file).toBeUndefined();
    }
    const uids = components.map((component) => component.uid);
    const duplicates = uids.filter((uid, index) => uids.indexOf(uid) !== index);
    expect(duplicates).toEqual([]);
  });

  it('sit in the folder their type belongs to, one app and at most one of each single-instance feature', () => {
    for (const { file, type } of components) {
      const meta = Components[type];
      expect(meta, `${file}: unknown component type "${type}"`).toBeDefined();
      const expectedDir = meta.parentComponent ? `${Components[meta.parentComponent].dir}/${meta.dir}` : meta.dir;
      expect(path.posix.dirname(file), `${file} (type ${type})`).toBe(expectedDir);
    }
    expect(componentsOfType('app')).toHaveLength(1);
    for (const [type, meta] of Object.entries(Components)) {
      if (meta.singularComponent) expect(componentsOfType(type).length, type).toBeLessThanOrEqual(1);
    }
  });

  it('point their entrypoints at files that exist, inside a folder with its own package.json', () => {
    const withEntrypoint = components.filter((component) => 'entrypoint' in component.config);
    expect(withEntrypoint.map((component) => component.type).sort()).toEqual(
      expect.arrayContaining(['card', 'settings']),
    );
    for (const { file, config } of withEntrypoint) {
      expect(config.entrypoint, file).toMatch(/^\/app\/.+\.(?:jsx|tsx)$/);
      const entry = entrypointPath(srcDir, String(config.entrypoint));
      expect(existsSync(entry), `${file}: ${String(config.entrypoint)} does not exist`).toBe(true);
      const featureDir = path.join(srcDir, path.posix.dirname(file));
      expect(path.dirname(entry), `${file}: the entrypoint must live in the feature folder`).toBe(featureDir);
      const manifest = readJson(path.join(featureDir, 'package.json')) as { dependencies?: Record<string, string> };
      expect(Object.keys(manifest.dependencies ?? {}), `${file}: package.json`).toEqual(
        expect.arrayContaining(['@hubspot/ui-extensions', 'react']),
      );
    }
  });

  it('have UI code that imports nothing from outside its feature folder (HubSpot lint: no-parent-imports)', () => {
    const featureDirs = new Set(
      components
        .filter((component) => 'entrypoint' in component.config)
        .map((component) => path.join(srcDir, path.posix.dirname(component.file))),
    );
    for (const featureDir of featureDirs) {
      for (const sourceFile of sourceFilesUnder(featureDir)) {
        for (const specifier of relativeImports(sourceFile)) {
          const target = path.resolve(path.dirname(sourceFile), specifier);
          const escapes = path.relative(featureDir, target).startsWith('..');
          expect(escapes, `${path.relative(srcDir, sourceFile)} imports ${specifier}`).toBe(false);
        }
      }
    }
  });
});

describe('the two uploads', () => {
  it('the first carries no app events: HubSpot accepts them only in a project that has deployed once, and after approval', () => {
    const appEvents = findHsMetaFiles(sourceDir()).filter((file) => isObject(file.content) && file.content.type === 'app-event');
    expect(appEvents.map((file) => file.relativePath), 'app events belong in app-events/ until the second upload').toEqual([]);
  });

  it('the second adds the two app events from app-events/ and nothing else', () => {
    const added = findHsMetaFiles(secondUploadDir).length - findHsMetaFiles(firstUploadDir).length;
    expect(added).toBe(findHsMetaFiles(APP_EVENTS_DIR).length);
    expect(componentsOfType('app-event').map((component) => component.file).sort()).toEqual([
      'app/app-events/line-message-received-hsmeta.json',
      'app/app-events/line-message-sent-hsmeta.json',
    ]);
  });

  it('src/ holds no example profile: the CLI reads every src/hsprofile.*.json as a profile of its own', async () => {
    expect(await getAllHsProfiles(sourceDir())).not.toContain('example');
    expect(existsSync(path.join(sourceDir(), 'hsprofile.example.json'))).toBe(false);
  });
});

describe('profiles', () => {
  it('the example profile has an account id and well-typed variables', () => {
    expect(Number.isInteger(profile.accountId)).toBe(true);
    expect(validateProfileVariables(profile.variables, 'hsprofile.example.json')).toEqual({ success: true, errors: [] });
  });

  it('every ${VAR} used in an hsmeta file is defined by the example profile', () => {
    for (const file of hsMetaFiles) {
      const missing = profileVariablesUsed(file.content).filter((name) => !(name in profile.variables));
      expect(missing, file.relativePath).toEqual([]);
    }
  });
});

describe('app-hsmeta.json', () => {
  it('is a marketplace OAuth app whose name does not contain "HubSpot" (the listing refuses it)', () => {
    const config = resolved<AppConfig>(single('app'));
    expect(config.name).toBe('LINE Connector');
    expect(config.name).not.toMatch(/hub\s*spot/i);
    expect(config.distribution).toBe('marketplace');
    expect(config.auth.type).toBe('oauth');
  });

  it('has a support address, and support and documentation links that differ (the listing refuses the same link twice)', () => {
    const { support } = resolved<AppConfig>(single('app'));
    expect(support.supportEmail).toMatch(/^[^@\s]+@[^@\s]+$/);
    expectPublicHttpsUrl(support.supportUrl);
    expectPublicHttpsUrl(support.documentationUrl);
    expect(support.documentationUrl).not.toBe(support.supportUrl);
  });

  it('sends the OAuth redirect, hubspot.fetch calls and images to the backend of the profile', () => {
    const raw = single('app').config as unknown as AppConfig;
    expect(raw.auth.redirectUrls).toEqual(['${BACKEND_URL}/oauth/callback']);
    expect(raw.permittedUrls.fetch).toEqual(['${BACKEND_URL}/api/']);
    expect(raw.permittedUrls.img).toContain('${BACKEND_URL}');
  });

  it('allows only public HTTPS URLs once the profile is applied', () => {
    const config = resolved<AppConfig>(single('app'));
    expect(config.permittedUrls.fetch.length).toBeGreaterThan(0);
    for (const url of [...config.permittedUrls.fetch, ...config.permittedUrls.img, ...config.auth.redirectUrls]) {
      expectPublicHttpsUrl(url);
    }
    expect(config.permittedUrls.iframe).toEqual([]);
  });

  it('asks for exactly the scopes the features use, all required (timeline too: app events need it)', () => {
    const { requiredScopes, optionalScopes = [] } = resolved<AppConfig>(single('app')).auth;
    expect([...requiredScopes].sort()).toEqual([...FEATURE_SCOPES].sort());
    expect(optionalScopes).toEqual([]);
    expect(new Set(requiredScopes).size).toBe(requiredScopes.length);
  });
});

describe('webhooks-hsmeta.json', () => {
  const webhooks = (): Component => single('webhooks');

  it('delivers to the backend over HTTPS', () => {
    expect((webhooks().config as unknown as WebhooksConfig).settings.targetUrl).toBe('${BACKEND_URL}/hubspot/webhooks');
    const { settings } = resolved<WebhooksConfig>(webhooks());
    expectPublicHttpsUrl(settings.targetUrl);
    expect(settings.maxConcurrentRequests).toBe(10);
  });

  it('subscribes to contact deletion, merge and privacy deletion', () => {
    const { subscriptions } = resolved<WebhooksConfig>(webhooks());
    const legacy = subscriptions.legacyCrmObjects ?? [];
    expect(legacy).toEqual(
      expect.arrayContaining([
        { subscriptionType: 'contact.deletion', active: true },
        { subscriptionType: 'contact.merge', active: true },
      ]),
    );
    expect(subscriptions.hubEvents).toEqual([{ subscriptionType: 'contact.privacyDeletion', active: true }]);
  });

  it('watches the LINE user ID property of the first accounts: line_user_id, line_user_id_2, ...', () => {
    const watched = (resolved<WebhooksConfig>(webhooks()).subscriptions.legacyCrmObjects ?? [])
      .filter((subscription) => subscription.subscriptionType === 'contact.propertyChange')
      .map((subscription) => subscription.propertyName);
    expect(watched.length).toBeGreaterThanOrEqual(2);
    expect(watched).toEqual(watched.map((_, index) => (index === 0 ? 'line_user_id' : `line_user_id_${index + 1}`)));
  });
});

describe('cards and settings', () => {
  it('the LINE card sits in the contact record sidebar', () => {
    const card = componentsOfType('card').find((component) => component.uid === 'line_contact_card');
    expect(card?.config).toMatchObject({
      name: 'LINE',
      location: 'crm.record.sidebar',
      objectTypes: ['contacts'],
      entrypoint: '/app/cards/LineCard.tsx',
    });
  });

  it('the settings page has its entrypoint', () => {
    expect(single('settings').config).toEqual({ entrypoint: '/app/settings/Settings.tsx' });
  });
});

describe('app events', () => {
  const expectedEvents = ['line_message_received', 'line_message_sent'];

  it('define a LINE message received and a LINE message sent event on contacts', () => {
    expect(componentsOfType('app-event').map((component) => component.uid)).toEqual(
      expect.arrayContaining(expectedEvents),
    );
  });

  it('carry the message text, LINE account name and message type, and render only declared properties', () => {
    for (const component of componentsOfType('app-event')) {
      const config = resolved<AppEventConfig>(component);
      expect(config.objectType, component.file).toBe('CONTACT');
      expect(config.name.length, `${component.file}: name`).toBeLessThanOrEqual(50);
      expect(config.headerTemplate.length, `${component.file}: headerTemplate`).toBeLessThanOrEqual(1000);
      expect(config.detailTemplate.length, `${component.file}: detailTemplate`).toBeLessThanOrEqual(10000);
      const names = config.properties.map((property) => property.name);
      expect(new Set(names).size, `${component.file}: property names are unique`).toBe(names.length);
      if (expectedEvents.includes(component.uid)) {
        expect(names, component.file).toEqual(
          expect.arrayContaining(['message_text', 'line_account_name', 'message_type']),
        );
      }
      for (const property of config.properties) {
        if (property.type === 'enumeration') {
          expect(property.options?.length, `${component.file}: ${property.name} options`).toBeGreaterThan(0);
        }
      }
      const tokens = [...templateTokens(config.headerTemplate), ...templateTokens(config.detailTemplate)];
      expect(tokens.filter((token) => !names.includes(token)), `${component.file}: undeclared tokens`).toEqual([]);
    }
  });
});

describe.each([
  { uid: 'send_line_message', slug: 'send-line-message', objectType: 'CONTACT', deliveries: ['sent', 'not_linked', 'blocked', 'failed'] },
  { uid: 'send_line_group_message', slug: 'send-line-group-message', objectType: 'COMPANY', deliveries: ['sent', 'not_linked', 'failed'] },
])('$slug-hsmeta.json', ({ uid, slug, objectType, deliveries }) => {
  interface Field { typeDefinition: { name: string; type: string; fieldType: string; optionsUrl?: string; options?: { value: string }[] }; supportedValueTypes?: string[]; isRequired?: boolean }
  interface WorkflowActionConfig {
    actionUrl: string;
    isPublished: boolean;
    supportedClients: { client: string }[];
    objectTypes: string[];
    inputFields: Field[];
    outputFields: Field[];
    labels: Record<string, { actionName: string; appDisplayName: string; actionCardContent: string; inputFieldLabels: Record<string, string>; outputFieldLabels: Record<string, string> }>;
  }
  const action = () => {
    const found = componentsOfType('workflow-action').find((c) => c.uid === uid);
    expect(found, `the ${uid} workflow action`).toBeDefined();
    return { file: found!.file, config: resolved<WorkflowActionConfig>(found!) };
  };

  it(`is a published ${objectType} workflow action executed at the backend`, () => {
    const { file, config } = action();
    expect(file).toBe(`app/workflow-actions/${slug}-hsmeta.json`);
    expectPublicHttpsUrl(config.actionUrl);
    expect(config.actionUrl).toBe(`${profile.variables.BACKEND_URL}/hubspot/actions/${slug}`);
    expect(config.isPublished).toBe(true);
    expect(config.supportedClients).toEqual([{ client: 'WORKFLOWS' }]);
    for (const labels of Object.values(config.labels)) expect(labels.appDisplayName).toBe(resolved<AppConfig>(single('app')).name);
    expect(config.objectTypes).toEqual([objectType]);
  });

  it('takes the LINE account and a template (options from the backend) or message_1 … message_5, and outputs line_delivery and line_error', () => {
    const { config } = action();
    expect(config.inputFields.map((f) => f.typeDefinition.name)).toEqual(['lineAccount', 'template', 'message_1', 'message_2', 'message_3', 'message_4', 'message_5']);
    for (const field of config.inputFields.slice(0, 2)) expect(field.typeDefinition.optionsUrl).toBe(`${profile.variables.BACKEND_URL}/hubspot/actions/${slug}/options`);
    // A step that uses a template has no messages of its own.
    expect(config.inputFields.filter((f) => f.isRequired).map((f) => f.typeDefinition.name)).toEqual([]);
    const [delivery, error] = config.outputFields;
    expect(delivery.typeDefinition.name).toBe('line_delivery');
    expect(delivery.typeDefinition.options?.map((o) => o.value)).toEqual(deliveries);
    expect(error.typeDefinition.name).toBe('line_error');
  });

  it('labels the action, every field and the editor card in English and Japanese', () => {
    const { config } = action();
    expect(Object.keys(config.labels).sort()).toEqual(['en', 'ja']);
    for (const labels of Object.values(config.labels)) {
      expect(Object.keys(labels.inputFieldLabels)).toEqual(config.inputFields.map((f) => f.typeDefinition.name));
      expect(Object.keys(labels.outputFieldLabels)).toEqual(config.outputFields.map((f) => f.typeDefinition.name));
      expect(labels.actionCardContent).toContain('{{lineAccount}}');
      expect(labels.actionCardContent).toContain('{{template}}');
      expect(labels.actionCardContent).toContain('{{message_1}}');
    }
  });
});

describe('@hubspot/project-parsing-lib translate', () => {
  // With skipValidation the library does not fetch HubSpot's schemas (that needs an account); it still
  // walks the folders, applies the profile (throwing on a missing variable) and rejects duplicate uids.
  // JSON syntax and top-level fields are checked by the tests above, since translate skips them here.
  async function translateUpload(projectSourceDir: string) {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir, platformVersion: project.platformVersion, accountId: profile.accountId },
      { skipValidation: true, profile: 'example' },
    );
    expect(skippedHsMetaFiles).toEqual([]);
    const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
    const uidsOfType = (componentType: string): string[] =>
      nodes.filter((node) => node.componentType === componentType).map((node) => node.uid).sort();
    return { intermediateRepresentation, nodes, uidsOfType };
  }

  it('turns the first upload into the app, its card, settings, webhooks and workflow action, without app events', async () => {
    const { nodes, uidsOfType } = await translateUpload(firstUploadDir);
    expect(uidsOfType('APPLICATION')).toEqual(['line_for_hubspot_app']);
    expect(uidsOfType('SETTINGS')).toEqual(['line_settings']);
    expect(uidsOfType('WEBHOOKS')).toEqual(['line_for_hubspot_webhooks']);
    expect(uidsOfType('CARD')).toContain('line_contact_card');
    expect(uidsOfType('WORKFLOW_ACTION')).toEqual(['send_line_group_message', 'send_line_message']);
    expect(uidsOfType('APP_EVENT')).toEqual([]);
    expect(nodes).toHaveLength(components.length - componentsOfType('app-event').length);
  });

  it('turns the second upload into the same components plus the two app events', async () => {
    const { intermediateRepresentation, nodes, uidsOfType } = await translateUpload(secondUploadDir);
    expect(uidsOfType('APP_EVENT')).toEqual(['line_message_received', 'line_message_sent']);
    expect(nodes).toHaveLength(components.length);

    for (const node of nodes) {
      if (node.componentType !== 'APPLICATION') expect(node.componentDeps.app, node.uid).toBe('line_for_hubspot_app');
      expect(JSON.stringify(node.config), `${node.uid}: profile variables left unresolved`).not.toContain('${');
    }
    expect(intermediateRepresentation.profileData?.vars.profileVariables.BACKEND_URL).toEqual({
      variableType: 'PROFILE_STRING',
      value: profile.variables.BACKEND_URL,
    });
  });
});
