// The contact properties the app writes (DESIGN.md "What the app writes into HubSpot"), per LINE account.
// HubSpot stores one label per property and shows it to every user whatever their language, so each
// label carries both languages ("LINE user ID / LINEユーザーID"); account N ≥ 2 adds " (N)" to the label
// and its name suffix `_N`, and its description names the LINE Official Account.
import { LINE_PROPERTY_BASES, linePropertyName, type LinePropertyBase } from '../properties/property-names.ts';

export const LINE_PROPERTY_GROUP = { name: 'line', label: 'LINE', displayOrder: -1 } as const;

export interface PropertyOptionDefinition {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface ContactPropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'string' | 'enumeration' | 'datetime' | 'bool' | 'number';
  fieldType: 'text' | 'textarea' | 'select' | 'date' | 'booleancheckbox' | 'number';
  displayOrder: number;
  options: PropertyOptionDefinition[];
}

interface BaseDefinition {
  type: ContactPropertyDefinition['type'];
  fieldType: ContactPropertyDefinition['fieldType'];
  en: string;
  ja: string;
  enDescription: string;
  jaDescription: string;
  options?: Array<{ value: string; en: string; ja: string }>;
}

const BASES: Record<LinePropertyBase, BaseDefinition> = {
  line_user_id: {
    type: 'string', fieldType: 'text', en: 'LINE user ID', ja: 'LINEユーザーID',
    enDescription: "The contact's LINE user ID", jaDescription: 'コンタクトのLINEユーザーID',
  },
  line_display_name: {
    type: 'string', fieldType: 'text', en: 'LINE display name', ja: 'LINE表示名',
    enDescription: "The contact's LINE display name", jaDescription: 'コンタクトのLINE表示名',
  },
  line_picture_url: {
    type: 'string', fieldType: 'text', en: 'LINE profile picture URL', ja: 'LINEプロフィール画像URL',
    enDescription: "URL of the contact's LINE profile picture", jaDescription: 'コンタクトのLINEプロフィール画像のURL',
  },
  line_follow_status: {
    type: 'enumeration', fieldType: 'select', en: 'LINE friend status', ja: 'LINE友だち状態',
    enDescription: 'Whether the contact follows the LINE Official Account or blocked it', jaDescription: 'コンタクトがLINE公式アカウントを友だち追加しているか、ブロックしているか',
    options: [
      { value: 'following', en: 'Following', ja: '友だち' },
      { value: 'blocked', en: 'Blocked', ja: 'ブロック' },
      { value: 'unknown', en: 'Unknown', ja: '不明' },
    ],
  },
  line_friend_added_at: {
    type: 'datetime', fieldType: 'date', en: 'LINE friend added', ja: 'LINE友だち追加日時',
    enDescription: 'When the contact last added the LINE Official Account as a friend', jaDescription: 'コンタクトがLINE公式アカウントを最後に友だち追加した日時',
  },
  line_linked_at: {
    type: 'datetime', fieldType: 'date', en: 'LINE ID synced', ja: 'LINE ID連携日時',
    enDescription: 'When the LINE user was linked to this contact', jaDescription: 'LINEユーザーがこのコンタクトに連携された日時',
  },
  line_unanswered: {
    type: 'bool', fieldType: 'booleancheckbox', en: 'LINE unanswered', ja: 'LINE未返信',
    enDescription: 'The contact wrote on LINE and is waiting for an answer', jaDescription: 'コンタクトがLINEでメッセージを送り、返信を待っている',
    options: [
      { value: 'true', en: 'Yes', ja: 'はい' },
      { value: 'false', en: 'No', ja: 'いいえ' },
    ],
  },
  line_unanswered_message: {
    type: 'string', fieldType: 'textarea', en: 'LINE unanswered message', ja: 'LINE未返信メッセージ',
    enDescription: 'The last LINE message from the contact that has not been answered', jaDescription: 'まだ返信していない、コンタクトからの最新のLINEメッセージ',
  },
  line_last_inbound_at: {
    type: 'datetime', fieldType: 'date', en: 'LINE last message received', ja: 'LINE最終受信日時',
    enDescription: 'When the contact last wrote on LINE', jaDescription: 'コンタクトから最後にLINEメッセージを受信した日時',
  },
  line_last_outbound_at: {
    type: 'datetime', fieldType: 'date', en: 'LINE last message sent', ja: 'LINE最終送信日時',
    enDescription: 'When a LINE message was last sent to the contact', jaDescription: 'コンタクトに最後にLINEメッセージを送信した日時',
  },
};

export interface AccountForProperties {
  sequence: number;
  /** The LINE Official Account's name, when connected (account 1 is provisioned before any is connected). */
  displayName?: string;
}

/** The ten property definitions of one LINE account. */
export function contactPropertiesFor(account: AccountForProperties): ContactPropertyDefinition[] {
  const { sequence, displayName } = account;
  const suffix = sequence >= 2 ? ` (${sequence})` : '';
  const enAccount = displayName ? ` (LINE Official Account "${displayName}"${sequence >= 2 ? `, account ${sequence}` : ''})` : sequence >= 2 ? ` (LINE account ${sequence})` : '';
  const jaAccount = displayName ? `(LINE公式アカウント「${displayName}」${sequence >= 2 ? `、アカウント${sequence}` : ''})` : sequence >= 2 ? `(LINEアカウント${sequence})` : '';
  return LINE_PROPERTY_BASES.map((base, index) => {
    const def = BASES[base];
    return {
      name: linePropertyName(base, sequence),
      label: `${def.en} / ${def.ja}${suffix}`,
      description: `${def.enDescription}${enAccount}. / ${def.jaDescription}${jaAccount}。`,
      groupName: LINE_PROPERTY_GROUP.name,
      type: def.type,
      fieldType: def.fieldType,
      displayOrder: (sequence - 1) * LINE_PROPERTY_BASES.length + index,
      options: (def.options ?? []).map((o, i) => ({ label: `${o.en} / ${o.ja}`, value: o.value, displayOrder: i, hidden: false })),
    };
  });
}

export interface ExistingProperty {
  name: string;
  label?: string;
  description?: string;
  groupName?: string;
  type?: string;
  fieldType?: string;
  options?: Array<{ label?: string; value?: string; hidden?: boolean }>;
}

/** What must change on an existing property for it to match its definition (empty: nothing). */
export function propertyDifferences(wanted: ContactPropertyDefinition, existing: ExistingProperty): Partial<ContactPropertyDefinition> {
  const patch: Partial<ContactPropertyDefinition> = {};
  if (existing.label !== wanted.label) patch.label = wanted.label;
  if ((existing.description ?? '') !== wanted.description) patch.description = wanted.description;
  if (existing.groupName !== wanted.groupName) patch.groupName = wanted.groupName;
  if (existing.type !== wanted.type || existing.fieldType !== wanted.fieldType) {
    patch.type = wanted.type;
    patch.fieldType = wanted.fieldType;
  }
  const optionKey = (o: { label?: string; value?: string; hidden?: boolean }) => `${o.value}\u0000${o.label}\u0000${o.hidden === true}`;
  const have = (existing.options ?? []).map(optionKey).sort().join('\u0001');
  const want = wanted.options.map(optionKey).sort().join('\u0001');
  if (have !== want) patch.options = wanted.options;
  return patch;
}
