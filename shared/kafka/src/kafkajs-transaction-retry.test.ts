import { createRequire } from 'node:module';
import { KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  CONCURRENT_TRANSACTIONS_RETRY_BUDGET_MS,
  CONCURRENT_TRANSACTIONS_RETRY_MS,
  concurrentTransactionsRetriedQuickly,
  retryConcurrentTransactionsQuickly,
  retryingConcurrentTransactions,
} from './kafkajs-transaction-retry.js';

const require = createRequire(import.meta.url);
const concurrent = () =>
  new KafkaJSProtocolError({
    type: 'CONCURRENT_TRANSACTIONS',
    code: 51,
    retriable: true,
    message: 'The producer attempted to update a transaction while another concurrent operation was ongoing',
  });

/** A send that fails with each of `errors` in turn, then answers; and the waits asked for between. */
function scripted(errors: Error[]) {
  const waits: number[] = [];
  let calls = 0;
  const send = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return 'answered';
  };
  const wait = async (ms: number) => {
    waits.push(ms);
  };
  return { send, wait, waits, calls: () => calls };
}

describe('retrying CONCURRENT_TRANSACTIONS', () => {
  it('sends again after a short wait while the coordinator finishes the last transaction', async () => {
    const { send, wait, waits, calls } = scripted([concurrent(), concurrent(), concurrent()]);
    await expect(retryingConcurrentTransactions(send, wait)).resolves.toBe('answered');
    expect(calls()).toBe(4);
    expect(waits).toEqual([20, 20, 20]);
  });

  it('passes any other error on at once, for kafkajs to handle as before', async () => {
    const other = new KafkaJSProtocolError({
      type: 'NOT_COORDINATOR',
      code: 16,
      retriable: true,
      message: 'This is not the correct coordinator',
    });
    const { send, wait, waits } = scripted([other]);
    await expect(retryingConcurrentTransactions(send, wait)).rejects.toBe(other);
    expect(waits).toEqual([]);
  });

  it('gives the answer up to kafkajs once the budget is spent', async () => {
    const tries = CONCURRENT_TRANSACTIONS_RETRY_BUDGET_MS / CONCURRENT_TRANSACTIONS_RETRY_MS + 1;
    const errors = Array.from({ length: tries + 5 }, concurrent);
    const { send, wait, waits, calls } = scripted(errors);
    await expect(retryingConcurrentTransactions(send, wait)).rejects.toBe(errors[tries - 1]);
    expect(calls()).toBe(tries);
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(CONCURRENT_TRANSACTIONS_RETRY_BUDGET_MS);
  });

  it("is put on kafkajs' broker connections once, keeping their own request underneath", async () => {
    const Broker = require('kafkajs/src/broker/index.js') as {
      prototype: { addPartitionsToTxn: (request: unknown) => Promise<unknown> };
    };
    const kafkajsOwn = Broker.prototype.addPartitionsToTxn;
    expect(concurrentTransactionsRetriedQuickly()).toBe(false);
    retryConcurrentTransactionsQuickly();
    const installed = Broker.prototype.addPartitionsToTxn;
    retryConcurrentTransactionsQuickly();
    expect(Broker.prototype.addPartitionsToTxn).toBe(installed);
    expect(installed).not.toBe(kafkajsOwn);
    expect(concurrentTransactionsRetriedQuickly()).toBe(true);

    // A connection whose request is answered CONCURRENT_TRANSACTIONS once, then accepted.
    let sent = 0;
    const connection = Object.create(Broker.prototype) as typeof Broker.prototype & {
      lookupRequest: () => (request: unknown) => unknown;
    };
    Object.defineProperty(connection, 'lookupRequest', { value: () => (request: unknown) => request });
    const symbols = Object.getOwnPropertySymbols(Broker.prototype);
    expect(symbols.length).toBeGreaterThan(0);
    for (const symbol of symbols) {
      Object.defineProperty(connection, symbol, {
        value: async (request: unknown) => {
          sent += 1;
          if (sent === 1) throw concurrent();
          return { request };
        },
      });
    }
    await expect(connection.addPartitionsToTxn({ transactionalId: 't' })).resolves.toEqual({
      request: { transactionalId: 't' },
    });
    expect(sent).toBe(2);
  });
});
