// CRM search: filter groups (OR of ANDed filters), free-text query, one sort, paging capped at 10,000 results.
import { Router } from 'express';
import type { PropertyDef } from './builtin-properties.ts';
import { propertyList, serialize } from './crm-store.ts';
import { objectTypeParam, readScope, requireBodyObject } from './crm-objects.ts';
import { badRequest } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { CrmRecord, EmulatorState, PortalState } from './state.ts';

const OPERATORS = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);
export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

/** A comparable form of a value: numbers for number/date/datetime properties, lower-case text otherwise. */
function comparable(def: PropertyDef | undefined, raw: unknown): number | string {
  const text = String(raw);
  if (def && (def.type === 'number' || def.type === 'datetime' || def.type === 'date')) {
    const n = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
    return Number.isNaN(n) ? text.toLowerCase() : n;
  }
  return text.toLowerCase();
}

function matches(rec: CrmRecord, f: Filter, def: PropertyDef | undefined, inMatching: EmulatorState['config']['searchInMatching']): boolean {
  const stored = rec.properties[f.propertyName];
  const has = stored !== undefined && stored !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
  }
  const values = def?.fieldType === 'checkbox' && has ? stored.split(';') : [stored];
  const cmp = (v: unknown) => comparable(def, v);
  // HubSpot's search guide (developers.hubspot.com/docs/guides/api/crm/search, operator table): with IN and
  // NOT_IN on a string property "values must be lowercase". The stored value is compared lowercased, the
  // given values as they are, so "Abc" in a list never matches. 'exact' compares both as spelled.
  const exact = inMatching === 'exact';
  const listed = (v: unknown) => (typeof cmp(v) === 'string' ? String(v) : cmp(v));
  const inList = (s: string) => (f.values ?? []).some((v) => (exact && typeof cmp(s) === 'string' ? s === String(v) : cmp(s) === listed(v)));
  switch (f.operator) {
    case 'EQ':
      return has && values.some((s) => cmp(s) === cmp(f.value));
    case 'NEQ':
      return !has || !values.some((s) => cmp(s) === cmp(f.value));
    case 'IN':
      return has && values.some(inList);
    case 'NOT_IN':
      return !has || !values.some(inList);
    case 'CONTAINS_TOKEN': {
      if (!has) return false;
      const pattern = new RegExp(`^${String(f.value).toLowerCase().replace(/[.+?^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return stored.toLowerCase().split(/[\s@.,;]+/).concat(stored.toLowerCase()).some((t) => pattern.test(t));
    }
    case 'NOT_CONTAINS_TOKEN':
      return !matches(rec, { ...f, operator: 'CONTAINS_TOKEN' }, def, inMatching);
  }
  if (!has) return false;
  const a = cmp(stored);
  const b = cmp(f.value);
  switch (f.operator) {
    case 'GT':
      return a > b;
    case 'GTE':
      return a >= b;
    case 'LT':
      return a < b;
    case 'LTE':
      return a <= b;
    case 'BETWEEN':
      return a >= b && a <= cmp(f.highValue);
  }
  return false;
}

function parseFilterGroups(portal: PortalState, type: ObjectTypeName, raw: unknown): Filter[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest('filterGroups must be an array');
  if (raw.length > 5) throw badRequest(`Too many filter groups: ${raw.length}. The maximum is 5.`);
  let total = 0;
  return raw.map((group) => {
    const filters = (group as { filters?: unknown })?.filters;
    if (!Array.isArray(filters)) throw badRequest('Each filter group needs a "filters" array');
    if (filters.length > 6) throw badRequest(`Too many filters in a group: ${filters.length}. The maximum is 6.`);
    total += filters.length;
    if (total > 18) throw badRequest(`Too many filters: the maximum is 18 across all filter groups.`);
    return filters.map((f: Filter) => {
      if (!f || typeof f.propertyName !== 'string' || !OPERATORS.has(f.operator)) {
        throw badRequest(`Invalid filter ${JSON.stringify(f)}: propertyName and a known operator are required.`);
      }
      if (!portal.propertyDefs[type].has(f.propertyName)) {
        throw badRequest(`There was a problem with the request: property "${f.propertyName}" does not exist.`);
      }
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values)) {
        throw badRequest(`Operator ${f.operator} requires "values"`);
      }
      const needsValue = !['IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(f.operator);
      if (needsValue && f.value === undefined) throw badRequest(`Operator ${f.operator} requires "value"`);
      return f;
    });
  });
}

function parseSort(raw: unknown): { prop: string; desc: boolean } | undefined {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return undefined;
  if (!Array.isArray(raw)) throw badRequest('sorts must be an array');
  if (raw.length > 1) throw badRequest('Only one sort is allowed.');
  const s = raw[0] as unknown;
  if (typeof s === 'string') return s.startsWith('-') ? { prop: s.slice(1), desc: true } : { prop: s, desc: false };
  const o = s as { propertyName?: string; direction?: string };
  if (!o?.propertyName) throw badRequest('Each sort needs a propertyName');
  return { prop: o.propertyName, desc: o.direction === 'DESCENDING' };
}

function queryMatches(rec: CrmRecord, type: ObjectTypeName, query: string): boolean {
  const q = query.toLowerCase().trim();
  if (!q) return true;
  return OBJECT_TYPES[type].searchable.some((p) => {
    const v = rec.properties[p]?.toLowerCase();
    return !!v && (v.startsWith(q) || v.split(/[\s@.;]+/).some((t) => t.startsWith(q)));
  });
}

export function searchRoutes(state: EmulatorState): Router {
  const r = Router();
  r.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = readScope(res, type);
    const body = requireBodyObject(req.body);
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest('limit must be a non-negative integer');
    if (limit > SEARCH_MAX_LIMIT) throw badRequest(`limit must be at most ${SEARCH_MAX_LIMIT}, was ${limit}`);
    const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0) throw badRequest(`Invalid "after": ${String(body.after)}`);
    if (after + limit > SEARCH_MAX_RESULTS) {
      throw badRequest(`The search API returns at most ${SEARCH_MAX_RESULTS} results: after + limit (${after + limit}) exceeds it.`);
    }
    const groups = parseFilterGroups(portal, type, body.filterGroups);
    const sort = parseSort(body.sorts);
    const defs = portal.propertyDefs[type];
    const visibleBefore = state.clock.now() - state.config.searchIndexDelayMs;
    const hits = [...portal.objects[type].values()].filter(
      (rec) =>
        !rec.archived &&
        rec.createdAt <= visibleBefore &&
        (groups.length === 0 || groups.some((g) => g.every((f) => matches(rec, f, defs.get(f.propertyName), state.config.searchInMatching)))) &&
        (typeof body.query !== 'string' || queryMatches(rec, type, body.query)),
    );
    hits.sort((a, b) => {
      if (sort) {
        const def = defs.get(sort.prop);
        const va = a.properties[sort.prop];
        const vb = b.properties[sort.prop];
        if (va !== vb) {
          if (va === undefined) return 1;
          if (vb === undefined) return -1;
          const ca = comparable(def, va);
          const cb = comparable(def, vb);
          const d = ca < cb ? -1 : ca > cb ? 1 : 0;
          if (d) return sort.desc ? -d : d;
        }
      }
      return Number(a.id) - Number(b.id);
    });
    const props = propertyList(body.properties);
    const page = hits.slice(after, after + limit).map((rec) => serialize(type, rec, { properties: props }));
    const out: Record<string, unknown> = { total: hits.length, results: page };
    const next = after + limit;
    if (next < hits.length && next < SEARCH_MAX_RESULTS) out.paging = { next: { after: String(next) } };
    res.json(out);
  });
  return r;
}
