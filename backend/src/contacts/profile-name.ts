// Contact name fields from a LINE display name. Display names are free text (nicknames, emoji, either
// name order), so only an unambiguous Latin "First Last" is split; anything else stays whole in firstname.

const LATIN_WORD = /^[\p{Script=Latin}][\p{Script=Latin}'’.-]*$/u;

export function contactNameFromDisplayName(displayName: string | null): { firstname?: string; lastname?: string } {
  const name = displayName?.trim();
  if (!name) return {};
  const parts = name.split(/\s+/);
  if (parts.length === 2 && parts.every((p) => LATIN_WORD.test(p))) return { firstname: parts[0], lastname: parts[1] };
  return { firstname: name };
}
