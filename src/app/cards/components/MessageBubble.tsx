// One message: customer messages on the left, ours on the right with who sent it and its delivery state.
import { Box, Button, Flex, StatusTag, Text, Tile } from '@hubspot/ui-extensions';
import type { ChatMessage } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';
import { MessageContentView } from './MessageContentView.tsx';

interface Props {
  message: ChatMessage;
  i18n: Translator;
  retrying: boolean;
  /** A customer message after the last reply. */
  unanswered: boolean;
  onRetry(id: number): void;
}

function senderLabel({ sender }: ChatMessage, i18n: Translator): string {
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
  const { message, i18n } = props;
  const outbound = message.direction === 'outbound';
  return (
    <Flex direction="row" justify={outbound ? 'end' : 'start'} testId={`message-${message.id}`}>
      <Box flex="initial">
        <Tile compact>
          <Flex direction="column" gap="xs">
            <MessageContentView message={message} i18n={i18n} />
            <Text variant="microcopy">{`${senderLabel(message, i18n)} · ${i18n.clock(message.createdAt)}`}</Text>
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
