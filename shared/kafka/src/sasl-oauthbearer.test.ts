import type { AuthenticationProviderArgs, Logger } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaAccessError } from './errors.js';
import { oauthBearerMechanism } from './sasl-oauthbearer.js';

/** Bytes with the 4-byte big-endian length kafkajs puts in front of SASL payloads, both ways. */
function framed(payload: string | Buffer): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

const logger: Logger = {
  info: () => {},
  error: () => {},
  warn: () => {},
  debug: () => {},
  namespace: () => logger,
  setLogLevel: () => {},
};

/**
 * A broker as kafkajs' saslAuthenticate presents it: each request is encoded and kept, and each request that
 * expects a response gets the next answer (already framed, as kafkajs passes them on), decoded and parsed by the
 * mechanism. `refuseSecond` makes the broker fail the exchange after the client's reply to its error.
 */
function fakeBroker(answers: Buffer[], { refuseSecond = false } = {}) {
  const sent: Buffer[] = [];
  const saslAuthenticate: AuthenticationProviderArgs['saslAuthenticate'] = async ({ request, response }) => {
    sent.push(await request.encode());
    if (refuseSecond && sent.length === 2) throw new Error('SASL_AUTHENTICATION_FAILED from the broker');
    if (!response) return;
    const answer = answers.shift();
    if (answer === undefined) throw new Error('the test gave the broker no answer for this request');
    return response.parse(await response.decode(answer));
  };
  return { sent, saslAuthenticate };
}

function authenticate(token: () => Promise<string>, broker: ReturnType<typeof fakeBroker>) {
  return oauthBearerMechanism(token)
    .authenticationProvider({
      host: 'kafka-1',
      port: 9093,
      logger,
      saslAuthenticate: broker.saslAuthenticate,
    })
    .authenticate();
}

describe('oauthBearerMechanism', () => {
  it('is the oauthbearer mechanism', () => {
    expect(oauthBearerMechanism(async () => 't').mechanism).toBe('oauthbearer');
  });

  it('sends the RFC 7628 initial response with the token, framed with its length', async () => {
    const broker = fakeBroker([framed('')]);
    await authenticate(async () => 'eyJ.tok-123', broker);
    const payload = 'n,,\u0001auth=Bearer eyJ.tok-123\u0001\u0001';
    expect(broker.sent).toEqual([
      Buffer.concat([Buffer.from([0, 0, 0, payload.length]), Buffer.from(payload, 'latin1')]),
    ]);
  });

  it.each([
    ['a zero-length payload', framed('')],
    ['no bytes at all', Buffer.alloc(0)],
  ])('succeeds on an empty answer: %s', async (_case, answer) => {
    const broker = fakeBroker([answer]);
    await expect(authenticate(async () => 'tok', broker)).resolves.toBeUndefined();
    expect(broker.sent).toHaveLength(1);
  });

  it('answers an error challenge with a single %x01 and reports the status', async () => {
    const broker = fakeBroker([
      framed('{"status":"invalid_token","scope":"kafka","openid-configuration":""}'),
    ]);
    const outcome = authenticate(async () => 'expired-token', broker);
    await expect(outcome).rejects.toThrow(KafkaAccessError);
    await expect(outcome).rejects.toThrow(/invalid_token/);
    expect(broker.sent).toHaveLength(2);
    expect(broker.sent[1]).toEqual(Buffer.from([0, 0, 0, 1, 1]));
  });

  it('reports the rejection, not the failed exchange, when the broker then hangs up', async () => {
    const broker = fakeBroker([framed('{"status":"invalid_token"}')], { refuseSecond: true });
    const error = await authenticate(async () => 'expired-token', broker).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as KafkaAccessError).message).toContain('invalid_token');
    expect((error as KafkaAccessError).message).not.toContain('expired-token');
  });

  it('does not echo an answer that is not JSON', async () => {
    const broker = fakeBroker([framed('<html>private details</html>')]);
    const error = await authenticate(async () => 'tok', broker).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as KafkaAccessError).message).toContain('the broker gave no reason');
    expect((error as KafkaAccessError).message).not.toContain('private details');
  });

  it('asks its source for a token at each authentication', async () => {
    let issued = 0;
    const token = async () => `token-${++issued}`;
    const broker = fakeBroker([framed(''), framed('')]);
    await authenticate(token, broker);
    await authenticate(token, broker);
    expect(broker.sent.map((bytes) => bytes.subarray(4).toString())).toEqual([
      'n,,\u0001auth=Bearer token-1\u0001\u0001',
      'n,,\u0001auth=Bearer token-2\u0001\u0001',
    ]);
  });

  it("sends nothing when the source can't give a token", async () => {
    const broker = fakeBroker([framed('')]);
    const failure = new KafkaAccessError('the OAUTHBEARER token file /t is empty');
    await expect(
      authenticate(async () => {
        throw failure;
      }, broker),
    ).rejects.toBe(failure);
    expect(broker.sent).toEqual([]);
  });
});
