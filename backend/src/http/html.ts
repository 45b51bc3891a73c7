// Text into HTML. Whatever is escaped here arrives as text wherever HTML is rendered: our own pages,
// and HubSpot fields that render HTML (task and note bodies) holding text any LINE user can write.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Escaped, with its line breaks kept (HTML collapses newlines). */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}
