import type { Mechanism } from 'kafkajs';
import { KafkaAccessError } from './errors.js';

/** A bearer token, fetched for each authentication: sources cache and renew as their tokens require. */
export type BearerTokenSource = () => Promise<string>;

const SOH = '\u0001';

// SaslAuthenticate carries its bytes with a 4-byte length in front, as kafkajs encodes them for every mechanism.
function withLength(payload: Buffer): Buffer {
  const framed = Buffer.alloc(4 + payload.length);
  framed.writeInt32BE(payload.length, 0);
  payload.copy(framed, 4);
  return framed;
}

const withoutLength = (framed: Buffer): Buffer => (framed.length <= 4 ? Buffer.alloc(0) : framed.subarray(4));

/** The server's error, `{"status":"invalid_token",…}` (RFC 7628 §3.2.2), as a short reason. */
function errorStatus(challenge: Buffer): string {
  try {
    const parsed: unknown = JSON.parse(challenge.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'status' in parsed) return String(parsed.status);
  } catch {
    // Not JSON: say so rather than echo bytes that could hold anything.
  }
  return 'the broker gave no reason';
}

/**
 * SASL/OAUTHBEARER (RFC 7628) as kafkajs' custom-mechanism hook. kafkajs' built-in one takes any answer as success,
 * so a rejected token surfaced later as "No brokers in the broker pool". Here the server's error challenge is
 * answered as the RFC asks (a single %x01, after which the broker fails the exchange) and reported as a rejection.
 */
export function oauthBearerMechanism(token: BearerTokenSource): Mechanism {
  return {
    mechanism: 'oauthbearer',
    authenticationProvider: ({ saslAuthenticate }) => ({
      authenticate: async () => {
        const value = await token();
        const initial = Buffer.from(`n,,${SOH}auth=Bearer ${value}${SOH}${SOH}`);
        const challenge = await saslAuthenticate({
          request: { encode: () => withLength(initial) },
          response: { decode: withoutLength, parse: (bytes: Buffer) => bytes },
        });
        if (!challenge || challenge.length === 0) return;
        const status = errorStatus(challenge);
        await saslAuthenticate({ request: { encode: () => withLength(Buffer.from(SOH)) } }).catch(
          () => undefined,
        );
        throw new KafkaAccessError(`the broker rejected the OAUTHBEARER token (${status})`);
      },
    }),
  };
}
