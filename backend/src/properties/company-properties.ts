// The company properties of a LINE group linked to a company, per LINE account (account 1 plain names,
// account N >= 2 the suffix `_N`, as the contact properties), in the company property group "LINE group".
// Labels carry both languages, as the contact properties' do.
import type { ContactPropertyDefinition } from './contact-properties.ts';

export const LINE_GROUP_PROPERTY_GROUP = { name: 'line_group', label: 'LINE group / LINEグループ', displayOrder: -1 } as const;

export const LINE_GROUP_PROPERTY_BASES = [
  'line_group_id',
  'line_group_name',
  'line_group_picture_url',
  'line_group_member_count',
  'line_group_joined_at',
  'line_group_left_at',
  'line_group_unanswered',
  'line_group_unanswered_message',
  'line_group_last_inbound_at',
  'line_group_last_outbound_at',
] as const;

export type LineGroupPropertyBase = (typeof LINE_GROUP_PROPERTY_BASES)[number];

export function lineGroupPropertyName(base: LineGroupPropertyBase, sequence: number): string {
  return sequence <= 1 ? base : `${base}_${sequence}`;
}

type Base = Pick<ContactPropertyDefinition, 'type' | 'fieldType'> & { en: string; ja: string; enDescription: string; jaDescription: string };

const YES_NO = [
  { label: 'Yes / はい', value: 'true', displayOrder: 0, hidden: false },
  { label: 'No / いいえ', value: 'false', displayOrder: 1, hidden: false },
];

const BASES: Record<LineGroupPropertyBase, Base> = {
  line_group_id: { type: 'string', fieldType: 'text', en: 'LINE group ID', ja: 'LINEグループID', enDescription: 'The ID of the LINE group linked to this company', jaDescription: 'この会社に連携されたLINEグループのID' },
  line_group_name: { type: 'string', fieldType: 'text', en: 'LINE group name', ja: 'LINEグループ名', enDescription: 'The name of the LINE group', jaDescription: 'LINEグループの名前' },
  line_group_picture_url: { type: 'string', fieldType: 'text', en: 'LINE group picture URL', ja: 'LINEグループ画像URL', enDescription: "URL of the LINE group's picture", jaDescription: 'LINEグループの画像のURL' },
  line_group_member_count: { type: 'number', fieldType: 'number', en: 'LINE group members', ja: 'LINEグループ人数', enDescription: 'How many users are in the LINE group', jaDescription: 'LINEグループのメンバー数' },
  line_group_joined_at: { type: 'datetime', fieldType: 'date', en: 'LINE group joined', ja: 'LINEグループ参加日時', enDescription: 'When the LINE Official Account joined the group', jaDescription: 'LINE公式アカウントがグループに参加した日時' },
  line_group_left_at: { type: 'datetime', fieldType: 'date', en: 'LINE group left', ja: 'LINEグループ退出日時', enDescription: 'When the LINE Official Account left or was removed from the group (empty while it is in it)', jaDescription: 'LINE公式アカウントがグループから退出した（または削除された）日時（参加中は空）' },
  line_group_unanswered: { type: 'bool', fieldType: 'booleancheckbox', en: 'LINE group unanswered', ja: 'LINEグループ未返信', enDescription: 'A member wrote in the LINE group and is waiting for an answer', jaDescription: 'LINEグループのメンバーがメッセージを送り、返信を待っている' },
  line_group_unanswered_message: { type: 'string', fieldType: 'textarea', en: 'LINE group unanswered message', ja: 'LINEグループ未返信メッセージ', enDescription: 'The last message in the LINE group that has not been answered', jaDescription: 'まだ返信していない、LINEグループの最新メッセージ' },
  line_group_last_inbound_at: { type: 'datetime', fieldType: 'date', en: 'LINE group last message received', ja: 'LINEグループ最終受信日時', enDescription: 'When a member last wrote in the LINE group', jaDescription: 'LINEグループのメンバーから最後にメッセージを受信した日時' },
  line_group_last_outbound_at: { type: 'datetime', fieldType: 'date', en: 'LINE group last message sent', ja: 'LINEグループ最終送信日時', enDescription: 'When a message was last sent to the LINE group', jaDescription: 'LINEグループに最後にメッセージを送信した日時' },
};

/** The company property definitions of one LINE account. */
export function companyPropertiesFor(account: { sequence: number; displayName?: string }): ContactPropertyDefinition[] {
  const { sequence, displayName } = account;
  const suffix = sequence >= 2 ? ` (${sequence})` : '';
  const enAccount = displayName ? ` (LINE Official Account "${displayName}")` : sequence >= 2 ? ` (LINE account ${sequence})` : '';
  const jaAccount = displayName ? `(LINE公式アカウント「${displayName}」)` : sequence >= 2 ? `(LINEアカウント${sequence})` : '';
  return LINE_GROUP_PROPERTY_BASES.map((base, index) => {
    const def = BASES[base];
    return {
      name: lineGroupPropertyName(base, sequence),
      label: `${def.en} / ${def.ja}${suffix}`,
      description: `${def.enDescription}${enAccount}. / ${def.jaDescription}${jaAccount}。`,
      groupName: LINE_GROUP_PROPERTY_GROUP.name,
      type: def.type,
      fieldType: def.fieldType,
      displayOrder: (sequence - 1) * LINE_GROUP_PROPERTY_BASES.length + index,
      options: def.type === 'bool' ? YES_NO : [],
    };
  });
}
