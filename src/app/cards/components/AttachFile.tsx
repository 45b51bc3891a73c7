// Attaching an image or a file to the chat. HubSpot's FileUpload puts the file in the portal's file manager,
// attached to the record (the contact, or the company of a group chat), and hands back its id; the backend reads the file from HubSpot and sends it to
// LINE (backend/src/chat/attachment.ts). The rep sees what is ready and sends it with one click; a new pick
// replaces it. The upload box starts over after a send (a new key), ready for the next file.
import { useState } from 'react';
import { Button, Flex, Text } from '@hubspot/ui-extensions';
import { FileUpload } from '@hubspot/ui-extensions/experimental';
import type { Translator } from '../i18n/translator.ts';

const EXTENSIONS = ['jpg', 'jpeg', 'png', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv'];

/** The CRM record HubSpot attaches the uploaded file to: a contact (0-1) or a company (0-2). */
export interface AttachTo {
  objectTypeId: '0-1' | '0-2';
  objectId: number;
}

interface Props {
  attachTo: AttachTo;
  i18n: Translator;
  sending: boolean;
  onSend(fileId: number): Promise<boolean>;
}

export function AttachFile({ attachTo, i18n, sending, onSend }: Props) {
  const { t } = i18n;
  const [ready, setReady] = useState<{ id: number; name: string } | null>(null);
  const [round, setRound] = useState(0);
  const send = async () => {
    if (!ready || sending) return;
    if (await onSend(ready.id)) {
      setReady(null);
      setRound((r) => r + 1);
    }
  };
  return (
    <Flex direction="column" gap="xs" testId="chat-attach">
      <Text variant="microcopy">{t.attachHelp}</Text>
      <FileUpload
        key={round}
        fileLimit={1}
        allowedFileExtensions={EXTENSIONS}
        attachToRecord={attachTo}
        onChange={(files) => setReady(files.length > 0 ? { id: files[files.length - 1].id, name: files[files.length - 1].name } : null)}
        testId="chat-file-upload"
      />
      {ready ? (
        <Flex direction="row" align="center" gap="sm" wrap>
          <Text testId="chat-file-ready">{t.fileReady(ready.name)}</Text>
          <Button size="sm" variant="secondary" disabled={sending} onClick={send} testId="chat-send-file">
            {sending ? t.sending : t.sendFile}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
