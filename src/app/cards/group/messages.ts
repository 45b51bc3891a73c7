// The company card's own texts, in English and Japanese by the HubSpot user's locale; the chat panel's
// texts (history, composer, bubbles, errors) are the contact card's (i18n/messages.ts).

const en = {
  notLinked: 'This company is not linked to a LINE group of this account yet.',
  pickGroup: 'Link one of the account\'s LINE groups to this company:',
  noUnlinkedGroups: 'The account is in no LINE group that is free to link. Invite the LINE Official Account to the customer\'s group first.',
  unnamedGroup: 'LINE group',
  link: 'Link',
  linking: 'Linking…',
  unlink: 'Unlink group',
  unlinking: 'Unlinking…',
  unlinkConfirm: 'Unlink this LINE group from the company? Its history stays with the group; workflows stop sending to it.',
  members: (count: number) => (count === 1 ? '1 member' : `${count} members`),
  left: 'Left the group',
  leftNotice: 'The LINE account is no longer in this group, so nothing can be sent to it. The history stays here.',
  groupChatTitle: (name: string) => `LINE group: ${name}`,
  lastMessageText: (text: string) => `“${text}”`,
  errors: {
    group_not_linked: 'This company is no longer linked to a LINE group. Reload the record.',
    group_left: 'Not sent: the LINE account is no longer in this group.',
    group_linked_elsewhere: 'Not linked: this LINE group is already linked to another company.',
    company_already_linked: 'Not linked: this company is already linked to a LINE group of this account. Unlink it first.',
  } as Record<string, string>,
};

export type GroupMessages = typeof en;

const ja: GroupMessages = {
  notLinked: 'この会社はまだこのアカウントの LINE グループと連携していません。',
  pickGroup: 'アカウントの LINE グループを選んでこの会社と連携します:',
  noUnlinkedGroups: '連携できる LINE グループがありません。先に LINE 公式アカウントをお客様のグループに招待してください。',
  unnamedGroup: 'LINE グループ',
  link: '連携する',
  linking: '連携中…',
  unlink: 'グループの連携を解除',
  unlinking: '解除中…',
  unlinkConfirm: 'この LINE グループと会社の連携を解除しますか？履歴はグループに残り、ワークフローからは送信されなくなります。',
  members: (count: number) => `メンバー ${count} 人`,
  left: 'グループから退出済み',
  leftNotice: 'LINE 公式アカウントはこのグループにもういないため、送信できません。履歴はここで確認できます。',
  groupChatTitle: (name: string) => `LINE グループ: ${name}`,
  lastMessageText: (text: string) => `「${text}」`,
  errors: {
    group_not_linked: 'この会社と LINE グループの連携は解除されています。レコードを再読み込みしてください。',
    group_left: '送信できませんでした: LINE 公式アカウントはこのグループにもういません。',
    group_linked_elsewhere: '連携できませんでした: この LINE グループは別の会社と連携済みです。',
    company_already_linked: '連携できませんでした: この会社はこのアカウントの別の LINE グループと連携済みです。先に解除してください。',
  },
};

export function groupMessagesFor(locale: string | undefined): GroupMessages {
  return locale?.toLowerCase().startsWith('ja') ? ja : en;
}
