// What the optionsUrl answers for each input field with external options: `lineAccount` lists the portal's
// connected LINE accounts, `template` its message templates (the name and the first message, so the editor's
// card says what the step sends). Both are searchable by what their label shows.
import { listAccounts } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { listTemplates } from '../templates/repository.ts';
import { firstMessageSummary } from '../templates/template-summary.ts';

export interface FieldOption {
  value: string;
  label: string;
  description: string;
}

const matches = (q: string, ...texts: string[]) => texts.some((t) => t.toLowerCase().includes(q));

async function accountOptions(ctx: AppContext, portalId: number, q: string): Promise<FieldOption[]> {
  const accounts = (await listAccounts(ctx, portalId)).filter((a) => matches(q, a.displayName));
  return accounts.map((a) => ({ value: String(a.id), label: a.displayName, description: a.basicId ?? a.channelId }));
}

async function templateOptions(ctx: AppContext, portalId: number, q: string): Promise<FieldOption[]> {
  const options = (await listTemplates(ctx, portalId)).map((t) => {
    const first = firstMessageSummary(t);
    const more = t.messages.length > 1 ? `${t.messages.length} messages` : '1 message';
    return { value: String(t.id), label: `${t.name}: ${first}`, description: more };
  });
  return options.filter((o) => matches(q, o.label));
}

const optionsByField: Record<string, (ctx: AppContext, portalId: number, q: string) => Promise<FieldOption[]>> = {
  lineAccount: accountOptions,
  template: templateOptions,
};

/** The options of `field`, or undefined when the action has no such field with external options. */
export async function fieldOptions(ctx: AppContext, portalId: number, field: string, q: string): Promise<FieldOption[] | undefined> {
  const list = Object.hasOwn(optionsByField, field) ? optionsByField[field] : undefined;
  return list?.(ctx, portalId, q.toLowerCase());
}
