// The recipients of each kind of enrolled record, found by the kind an execution stores.
import { contactRecipients } from './contact-recipients.ts';
import { groupRecipients } from './group-recipients.ts';
import type { TokenObject } from './object-tokens.ts';
import type { Recipients } from './recipients.ts';

export const RECIPIENTS: readonly Recipients[] = [contactRecipients, groupRecipients];

export const recipientsOf = (kind: TokenObject): Recipients => RECIPIENTS.find((r) => r.kind === kind)!;
