// Who an execution's messages go to, per kind of enrolled record: a contact's LINE user or a company's LINE
// group. Each kind says how its recipient is found when the execution arrives, which stored executions can
// no longer be sent to when the worker takes them, and how a send is logged in its conversation.
import type { Knex } from 'knex';
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import type { ExecutionLookups } from './execution-lookups.ts';
import type { Execution } from './executions.ts';
import type { TokenObject } from './object-tokens.ts';
import type { Outcome } from './outputs.ts';

export type Recipient = { ok: true; recipientId: string } | { ok: false; recipientId: string | null; outcome: Outcome };

/** Work that must see the committed rows (it writes through its own connection). */
export type AfterCommit = () => Promise<void>;

export interface SentLog {
  account: LineAccount;
  executions: Execution[];
  /** The names of the workflows that sent, by workflow id (workflow-names.ts). */
  workflowNames: Map<number, string>;
  now: number;
}

export interface Recipients {
  kind: TokenObject;
  find(lookups: ExecutionLookups, account: LineAccount, objectId: number): Promise<Recipient>;
  /** Executions not sent yet whose recipient left meanwhile, with how they end. */
  unreachable(ctx: AppContext, account: LineAccount, executions: Execution[]): Promise<Array<{ executions: Execution[]; outcome: Outcome }>>;
  /** After LINE refused a push to them with a 400: how the executions end when the recipient turns out to be gone. */
  goneWhenRefused?(ctx: AppContext, account: LineAccount, executions: Execution[]): Promise<Outcome | undefined>;
  /** Logs the sent messages in `trx`; may answer what to tell once the transaction committed. */
  logSent(trx: Knex.Transaction, ctx: AppContext, sent: SentLog): Promise<AfterCommit | void>;
}
