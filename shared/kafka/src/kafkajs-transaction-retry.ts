import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A transaction's AddPartitionsToTxn that reaches the coordinator while it still writes the previous transaction's
 * markers is answered CONCURRENT_TRANSACTIONS. kafkajs then retries the whole send after its retry time (200 ms
 * here) and a metadata refresh: in a run of `npm run bench -- --only latency`, 21 of 1,258 page transactions, each
 * holding a page of about 27 events, which put those events beyond the p99. The markers take milliseconds; the Java
 * producer retries this answer after 20 ms for the same reason (KAFKA-5477). So does this, in place, for up to
 * half a second; an answer that persists then goes to kafkajs' own handling, as before.
 */
export const CONCURRENT_TRANSACTIONS_RETRY_MS = 20;
export const CONCURRENT_TRANSACTIONS_RETRY_BUDGET_MS = 500;

/** What `send` answers, sent again while the coordinator answers CONCURRENT_TRANSACTIONS, within the budget. */
export async function retryingConcurrentTransactions<Response>(
  send: () => Promise<Response>,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<Response> {
  for (let waited = 0; ; waited += CONCURRENT_TRANSACTIONS_RETRY_MS) {
    try {
      return await send();
    } catch (error) {
      const concurrent = (error as { type?: unknown } | null)?.type === 'CONCURRENT_TRANSACTIONS';
      if (!concurrent || waited >= CONCURRENT_TRANSACTIONS_RETRY_BUDGET_MS) throw error;
      await wait(CONCURRENT_TRANSACTIONS_RETRY_MS);
    }
  }
}

interface KafkajsBroker {
  addPartitionsToTxn(request: unknown): Promise<unknown>;
}
const require = createRequire(import.meta.url);
const Broker = require('kafkajs/src/broker/index.js') as { prototype: KafkajsBroker };
const kafkajsAddPartitions = Broker.prototype.addPartitionsToTxn;

/** Puts the quick retry on every kafkajs broker connection, those made before included; calling it again does nothing. */
export function retryConcurrentTransactionsQuickly(): void {
  if (Broker.prototype.addPartitionsToTxn !== kafkajsAddPartitions) return;
  Broker.prototype.addPartitionsToTxn = function (this: KafkajsBroker, request: unknown) {
    return retryingConcurrentTransactions(() => kafkajsAddPartitions.call(this, request));
  };
}

/** Whether kafkajs' brokers retry CONCURRENT_TRANSACTIONS quickly. */
export function concurrentTransactionsRetriedQuickly(): boolean {
  return Broker.prototype.addPartitionsToTxn !== kafkajsAddPartitions;
}
