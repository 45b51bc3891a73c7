// One message: customer messages on the left (in a group, with the member's name and picture), ours on the
// right with who sent it and its delivery state.
import { Box, Button, Flex, Image, StatusTag, Text, Tile } from '@hubspot/ui-extensions';
import type { ChatMessage } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';
import { MessageContentView } from './MessageContentView.tsx';

/** The member of a group who wrote a message. */
export interface MessageAuthor {
  displayName: string | null;
  pictureUrl: string | null;
}

interface Props {
  message: ChatMessage;
  author?: MessageAuthor | null;
  i18n: Translator;
  retrying: boolean;
  /** A customer message after the last reply. */
  unanswered: boolean;
  onRetry(id: number): void;
}

function senderLabel(message: ChatMessage, author: MessageAuthor | null | undefined, i18n: Translator): string {
  if (author) return author.displayName ?? i18n.t.customer;
  const { sender } = message;
  if (sender.kind === 'customer') return sender.name ?? i18n.t.customer;
  if (sender.kind === 'workflow') return sender.name ? i18n.t.sentByNamedWorkflow(sender.name) : i18n.t.sentByWorkflow;
  return sender.name ?? i18n.t.sentByUser;
}

function DeliveryState({ message, i18n, retrying, onRetry }: Props) {
  const { t } = i18n;
  if (message.status === 'failed' || message.canRetry) {
    return (
      <Flex direction="column" gap="xs" testId={`message-failed-${message.id}`}>
        <StatusTag variant="danger">{t.statusFailed}</StatusTag>
        {message.error ? <Text variant="microcopy">{t.failedReason(message.error)}</Text> : null}
        <Button size="xs" variant="secondary" disabled={retrying} onClick={() => onRetry(message.id)} testId={`message-retry-${message.id}`}>
          {retrying ? t.sending : t.retrySend}
        </Button>
      </Flex>
    );
  }
  if (message.status === 'sending') return <StatusTag variant="info" testId={`message-sending-${message.id}`}>{t.statusSending}</StatusTag>;
  if (message.status === 'sent') return <Text variant="microcopy">{t.statusSent}</Text>;
  return null;
}

export function MessageBubble(props: Props) {
  const { message, author, i18n } = props;
  const outbound = message.direction === 'outbound';
  const label = senderLabel(message, author, i18n);
  const signature = `${label} · ${i18n.clock(message.createdAt)}`;
  return (
    <Flex direction="row" justify={outbound ? 'end' : 'start'} testId={`message-${message.id}`}>
      <Box flex="initial">
        <Tile compact>
          <Flex direction="column" gap="xs">
            <MessageContentView message={message} i18n={i18n} />
            {author?.pictureUrl ? (
              <Flex direction="row" gap="xs" align="center">
                <Image src={author.pictureUrl} alt={label} width={20} height={20} testId={`message-author-picture-${message.id}`} />
                <Text variant="microcopy">{signature}</Text>
              </Flex>
            ) : (
              <Text variant="microcopy">{signature}</Text>
            )}
            {outbound ? <DeliveryState {...props} /> : null}
            {props.unanswered ? (
              <StatusTag variant="warning" testId={`message-unanswered-${message.id}`}>
                {i18n.t.unansweredTag}
              </StatusTag>
            ) : null}
          </Flex>
        </Tile>
      </Box>
    </Flex>
  );
}
