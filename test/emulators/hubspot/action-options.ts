// What HubSpot's workflow editor accepts from an input field's optionsUrl: { options: [{ label, value,
// description? }], after?, searchable? }. An answer of another shape leaves the field without options in
// HubSpot, so the emulator refuses it loudly instead of letting a test read it.

export interface ActionFieldOption {
  label: string;
  value: string | number;
  description?: string;
}

export interface ActionOptionsAnswer {
  options: ActionFieldOption[];
  after?: string;
  searchable?: boolean;
}

function optionProblem(o: unknown, i: number): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return `options[${i}] is not an object`;
  const { label, value, description } = o as Record<string, unknown>;
  if (typeof label !== 'string' || label === '') return `options[${i}].label must be a non-empty string`;
  if (typeof value !== 'string' && typeof value !== 'number') return `options[${i}].value must be a string or a number`;
  if (description !== undefined && typeof description !== 'string') return `options[${i}].description must be a string`;
  return undefined;
}

export function parseOptionsAnswer(body: unknown): ActionOptionsAnswer {
  const fail = (why: string) => new Error(`HubSpot emulator: the optionsUrl answer is not one HubSpot accepts: ${why}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('not a JSON object');
  const { options, after, searchable } = body as Record<string, unknown>;
  if (!Array.isArray(options)) throw fail('options must be an array');
  const problem = options.map(optionProblem).find((p) => p !== undefined);
  if (problem) throw fail(problem);
  if (after !== undefined && after !== null && typeof after !== 'string') throw fail('after must be a string');
  if (searchable !== undefined && typeof searchable !== 'boolean') throw fail('searchable must be a boolean');
  return body as ActionOptionsAnswer;
}
