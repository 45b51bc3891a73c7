// Contact property names per connected LINE account: account 1 uses plain names, account N >= 2 adds `_N`.

export const LINE_PROPERTY_BASES = [
  'line_user_id',
  'line_display_name',
  'line_picture_url',
  'line_follow_status',
  'line_friend_added_at',
  'line_linked_at',
  'line_unanswered',
  'line_unanswered_message',
  'line_last_inbound_at',
  'line_last_outbound_at',
] as const;

export type LinePropertyBase = (typeof LINE_PROPERTY_BASES)[number];

export function linePropertyName(base: LinePropertyBase, sequence: number): string {
  return sequence <= 1 ? base : `${base}_${sequence}`;
}

/** The inverse: which base and account sequence a property name belongs to, if any. */
export function parseLinePropertyName(name: string): { base: LinePropertyBase; sequence: number } | undefined {
  const match = /^(.*?)(?:_(\d+))?$/.exec(name);
  if (!match) return undefined;
  const base = LINE_PROPERTY_BASES.find((b) => b === match[1]);
  if (!base) return undefined;
  if (!match[2]) return { base, sequence: 1 };
  const sequence = Number(match[2]);
  return sequence >= 2 ? { base, sequence } : undefined; // account 1 never carries a suffix
}
