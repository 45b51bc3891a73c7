// The shapes of HubSpot's *-hsmeta.json components on platform version 2026.03, written down from HubSpot's
// sample projects (HubSpot/hubspot-project-components, 2026.03/components/* and 2026.03/config.json) and the
// configuration references those samples link to. HubSpot's own schemas are fetched at upload time with an
// authenticated account, so this is the offline stand-in: every object is strict (a misspelt or unknown key
// fails here rather than at upload), required fields are required, enumerations are the documented values.
import { z } from 'zod';

/** 2026.03/config.json: the component types, and which of them a marketplace OAuth app may contain. */
const MARKETPLACE_OAUTH_TYPES = [
  'app',
  'card',
  'settings',
  'webhooks',
  'workflow-action',
  'app-object',
  'app-event',
  'page',
  'app-object-association',
] as const;
/** Types that exist but only for private or static-auth apps (app functions, SCIM), or outside apps. */
const OTHER_KNOWN_TYPES = ['app-function', 'scim', 'theme', 'cms-asset'];

const text = z.string().min(1);
const stringList = z.array(text);

const app = z.strictObject({
  name: text,
  description: text,
  distribution: z.enum(['private', 'marketplace']),
  auth: z.strictObject({
    type: z.enum(['oauth', 'static']),
    redirectUrls: stringList.min(1).optional(),
    requiredScopes: stringList.min(1),
    optionalScopes: stringList.optional(),
    conditionallyRequiredScopes: stringList.optional(),
  }),
  permittedUrls: z.strictObject({ fetch: stringList.optional(), iframe: stringList.optional(), img: stringList.optional() }),
  support: z.strictObject({ supportEmail: text, documentationUrl: text, supportUrl: text, supportPhone: text.optional() }),
});

const entrypoint = z.string().regex(/^\/app\/.+\.(?:jsx|tsx)$/, 'a .jsx or .tsx file under /app/');

const card = z.strictObject({
  name: text,
  description: text.optional(),
  location: z.enum(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']),
  entrypoint,
  objectTypes: stringList.min(1),
});

const settings = z.strictObject({ entrypoint });

const webhooks = z.strictObject({
  settings: z.strictObject({ targetUrl: text, maxConcurrentRequests: z.number().int().min(5) }),
  subscriptions: z.strictObject({
    crmObjects: z
      .array(z.strictObject({ subscriptionType: text, objectType: text, propertyName: text.optional(), active: z.boolean() }))
      .optional(),
    legacyCrmObjects: z.array(z.strictObject({ subscriptionType: text, propertyName: text.optional(), active: z.boolean() })).optional(),
    hubEvents: z.array(z.strictObject({ subscriptionType: text, active: z.boolean() })).optional(),
  }),
});

const option = z.strictObject({ value: text, label: text, description: text.optional(), displayOrder: z.number().optional() });

const fieldDefinition = z.strictObject({
  name: text,
  type: z.enum(['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number']),
  fieldType: z.enum(['text', 'textarea', 'number', 'select', 'checkbox', 'booleancheckbox', 'radio', 'date', 'file', 'phonenumber']),
  options: z.array(option).optional(),
  optionsUrl: text.optional(),
  referencedObjectType: text.optional(),
  label: text.optional(),
  description: text.optional(),
  helpText: text.optional(),
});

const workflowField = z.strictObject({
  typeDefinition: fieldDefinition,
  supportedValueTypes: z.array(z.enum(['STATIC_VALUE', 'OBJECT_PROPERTY', 'FIELD_DATA', 'FETCHED_OBJECT_PROPERTY'])).optional(),
  isRequired: z.boolean().optional(),
});

const workflowLabels = z.strictObject({
  actionName: text,
  actionDescription: text.optional(),
  appDisplayName: text.optional(),
  actionCardContent: text.optional(),
  inputFieldLabels: z.record(z.string(), text).optional(),
  inputFieldDescriptions: z.record(z.string(), text).optional(),
  outputFieldLabels: z.record(z.string(), text).optional(),
  executionRules: z.record(z.string(), text).optional(),
});

const workflowAction = z.strictObject({
  actionUrl: text,
  isPublished: z.boolean(),
  supportedClients: z.array(z.strictObject({ client: z.enum(['WORKFLOWS', 'AGENTS']) })).min(1),
  inputFields: z.array(workflowField),
  outputFields: z.array(z.strictObject({ typeDefinition: fieldDefinition })).optional(),
  labels: z.record(z.string().regex(/^[a-z]{2}(?:-[a-z]{2})?$/), workflowLabels).refine((labels) => 'en' in labels, 'English labels are required'),
  objectTypes: stringList.min(1),
  executionRules: z.array(z.strictObject({ labelName: text, conditions: z.record(z.string(), z.unknown()) })).optional(),
  inputFieldDependencies: z
    .array(z.strictObject({ dependencyType: z.enum(['SINGLE_FIELD', 'CONDITIONAL']), controllingFieldName: text, dependentFieldNames: stringList }))
    .optional(),
  // Not in the 2026.03 samples, but part of the action definition the upload becomes (automation v4
  // PublicActionDefinition.objectRequestOptions): the contact properties HubSpot sends with each execution.
  objectRequestOptions: z.strictObject({ properties: stringList.min(1) }).optional(),
});

const appEvent = z.strictObject({
  name: text.max(50),
  objectType: text,
  headerTemplate: text.max(1000),
  detailTemplate: text.max(10000).optional(),
  properties: z.array(
    z.strictObject({
      name: text,
      label: text,
      type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration']),
      options: z.array(z.strictObject({ value: text, label: text })).optional(),
    }),
  ),
});

/** Config shapes of the types this project uses; a type without one here is refused until its shape is written down. */
const CONFIG_SHAPES: Partial<Record<(typeof MARKETPLACE_OAUTH_TYPES)[number], z.ZodType>> = {
  app,
  card,
  settings,
  webhooks,
  'workflow-action': workflowAction,
  'app-event': appEvent,
};

const component = z.strictObject({
  // As in every sample: 1-64 characters from letters, digits, "_", "-" and ".".
  uid: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 characters from A-Z a-z 0-9 _ - .'),
  type: z.string().superRefine((type, ctx) => {
    if ((MARKETPLACE_OAUTH_TYPES as readonly string[]).includes(type)) return;
    const message = OTHER_KNOWN_TYPES.includes(type) ? `"${type}" is not available to a marketplace OAuth app` : `unknown component type "${type}"`;
    ctx.addIssue({ code: 'custom', message });
  }),
  config: z.record(z.string(), z.unknown()),
});

/** Every problem with one parsed hsmeta file, as "path: message" lines; empty when it has the right shape. */
export function hsmetaProblems(content: unknown): string[] {
  const outer = component.safeParse(content);
  if (!outer.success) return describe(outer.error);
  const shape = CONFIG_SHAPES[outer.data.type as keyof typeof CONFIG_SHAPES];
  if (!shape) return [`type: no shape written down for "${outer.data.type}"`];
  const inner = shape.safeParse(outer.data.config);
  return inner.success ? [] : describe(inner.error, 'config');
}

function describe(error: z.ZodError, prefix?: string): string[] {
  return error.issues.map((issue) => `${[prefix, ...issue.path].filter((p) => p !== undefined).join('.') || '(root)'}: ${issue.message}`);
}
