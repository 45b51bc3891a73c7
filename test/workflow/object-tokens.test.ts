// Contact and company tokens: which properties a step needs, how each record's messages read, and the
// precise problem a marketer gets for a token that cannot be read.
import { describe, expect, it } from 'vitest';
import type { LineMessage } from '../../backend/src/line/line-channel.ts';
import { renderTokens, scanTokens } from '../../backend/src/workflow/object-tokens.ts';

const text = (t: string): LineMessage => ({ type: 'text', text: t });

const flex: LineMessage = {
  type: 'flex',
  altText: '{{contact.firstname}}様へのご案内',
  contents: {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'ご予約: {{ contact.appointment_date | default: \'未定\' }}' }] },
    footer: { type: 'box', layout: 'vertical', contents: [{ type: 'button', action: { type: 'uri', label: '確認', uri: 'https://example.com/r?name={{contact.lastname}}' } }] },
  },
};

describe('scanTokens', () => {
  it('finds tokens in every string of every message, with their field, fallback and the properties needed once each', () => {
    const scan = scanTokens('contact', [text('こんにちは {{contact.firstname | default: "お客様"}}さん'), flex]);
    expect(scan).toEqual({
      ok: true,
      tokens: [
        { field: 'message_1', raw: '{{contact.firstname | default: "お客様"}}', property: 'firstname', fallback: 'お客様' },
        { field: 'message_2', raw: '{{contact.firstname}}', property: 'firstname', fallback: '' },
        { field: 'message_2', raw: '{{ contact.appointment_date | default: \'未定\' }}', property: 'appointment_date', fallback: '未定' },
        { field: 'message_2', raw: '{{contact.lastname}}', property: 'lastname', fallback: '' },
      ],
      properties: ['firstname', 'appointment_date', 'lastname'],
    });
  });

  it('tolerates whitespace anywhere in a token', () => {
    const scan = scanTokens('contact', [text('{{   contact.email|default:"none"   }} {{contact.phone |default :  \'-\'}}')]);
    expect(scan.ok && scan.tokens.map((t) => [t.property, t.fallback])).toEqual([['email', 'none'], ['phone', '-']]);
  });

  it('finds nothing in messages without tokens', () => {
    expect(scanTokens('contact', [text('Hello {name} and { {x} }'), { type: 'sticker', packageId: '446', stickerId: '1988' }])).toEqual({ ok: true, tokens: [], properties: [] });
  });

  it.each([
    ['Hi {{contact.firstname', 'message_1: the token starting "{{contact.firstname" is not closed with }}'],
    ['Hi {{contact.firstname | upper}}', 'message_1: {{contact.firstname | upper}} uses the unknown filter "upper": only default: "fallback" is supported'],
    ['Hi {{contact.firstname | default: お客様}}', 'message_1: {{contact.firstname | default: お客様}}: default needs one fallback in double or single quotes, e.g. default: "お客様"'],
    ['Hi {{contact.firstname | default}}', 'message_1: {{contact.firstname | default}}: default needs one fallback in double or single quotes'],
    ['Hi {{firstname}}', 'message_1: {{firstname}} is not a contact token: write {{contact.<property internal name>}}'],
    ['Hi {{contact.first name}}', 'message_1: {{contact.first name}} is not a contact token'],
  ])('reports %j precisely', (typed, problem) => {
    const scan = scanTokens('contact', [text(typed)]);
    expect(scan.ok).toBe(false);
    if (!scan.ok) expect(scan.problem).toContain(problem);
  });

  it('names the field of the malformed token', () => {
    const scan = scanTokens('contact', [text('ok {{contact.firstname}}'), text('ok'), { type: 'template', altText: '{{contact.x', template: { type: 'buttons', text: 'x', actions: [] } }]);
    expect(scan).toEqual({ ok: false, problem: 'message_3: the token starting "{{contact.x" is not closed with }}' });
  });
});

describe('renderTokens', () => {
  it('fills in the contact\'s values, the fallback for a missing or empty value, and nothing when there is no fallback', () => {
    const messages = [text('{{contact.firstname | default: "お客様"}}、{{contact.lastname}}様 ({{contact.company}})')];
    expect(renderTokens('contact', messages, { firstname: '花子', lastname: '山田', company: 'ACME' })).toEqual([text('花子、山田様 (ACME)')]);
    expect(renderTokens('contact', messages, { firstname: '', lastname: null })).toEqual([text('お客様、様 ()')]);
  });

  it('renders inside flex and template JSON, keeps everything else, and encodes values placed inside a link', () => {
    const [rendered] = renderTokens('contact', [flex], { firstname: 'Ann', lastname: 'Lee & Co' }) as Array<Record<string, any>>;
    expect(rendered.altText).toBe('Ann様へのご案内');
    expect(rendered.contents.body.contents[0].text).toBe('ご予約: 未定');
    expect(rendered.contents.footer.contents[0].action).toEqual({ type: 'uri', label: '確認', uri: 'https://example.com/r?name=Lee%20%26%20Co' });
    expect(rendered.contents.body.layout).toBe('vertical');
  });

  it('uses a value that is a whole link as it is', () => {
    const image: LineMessage = { type: 'image', originalContentUrl: '{{contact.photo_url}}', previewImageUrl: '{{contact.photo_url}}' };
    expect(renderTokens('contact', [image], { photo_url: 'https://cdn.example.com/a b.png' })).toEqual([{ ...image, originalContentUrl: 'https://cdn.example.com/a b.png', previewImageUrl: 'https://cdn.example.com/a b.png' }]);
  });

  it('does not render tokens that appear inside a contact\'s value', () => {
    expect(renderTokens('contact', [text('Hi {{contact.firstname}}')], { firstname: '{{contact.email}}', email: 'secret@example.com' })).toEqual([text('Hi {{contact.email}}')]);
  });
});

describe('company tokens', () => {
  it('reads {{company.<property>}} in company workflows and fills in the company\'s values', () => {
    const messages = [text('{{company.name | default: "御社"}}の皆様、{{ company.city }}支店より')];
    expect(scanTokens('company', messages)).toEqual({
      ok: true,
      tokens: [
        { field: 'message_1', raw: '{{company.name | default: "御社"}}', property: 'name', fallback: '御社' },
        { field: 'message_1', raw: '{{ company.city }}', property: 'city', fallback: '' },
      ],
      properties: ['name', 'city'],
    });
    expect(renderTokens('company', messages, { name: 'ACME', city: '大阪' })).toEqual([text('ACMEの皆様、大阪支店より')]);
    expect(renderTokens('company', messages, { name: '' })).toEqual([text('御社の皆様、支店より')]);
  });

  it('refuses a contact token in a company workflow, and a company token in a contact workflow', () => {
    expect(scanTokens('company', [text('Hi {{contact.firstname}}')])).toEqual({ ok: false, problem: 'message_1: {{contact.firstname}} is not a company token: write {{company.<property internal name>}}' });
    expect(scanTokens('contact', [text('Hi {{company.name}}')])).toEqual({ ok: false, problem: 'message_1: {{company.name}} is not a contact token: write {{contact.<property internal name>}}' });
  });
});
