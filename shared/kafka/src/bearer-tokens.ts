import { readFile } from 'node:fs/promises';
import type { Logger } from '@sarwatch/runtime';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { KafkaAccessError } from './errors.js';
import type { BearerTokenSource } from './sasl-oauthbearer.js';

export interface SignedToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiryTime: number;
}

/** Renewed once this share of its lifetime is left, so no connection authenticates with a token about to expire. */
const RENEW_WHEN_LEFT = 0.2;

/**
 * Tokens for Amazon MSK's IAM access control, signed with the standard AWS credential chain. One token serves every
 * connection until it nears expiry (MSK's last 15 minutes); renewals running at once share one signing.
 */
export function mskIamTokens(
  region: string,
  log: Pick<Logger, 'debug' | 'warn'>,
  sign: (options: { region: string }) => Promise<SignedToken> = generateAuthToken,
  now: () => number = Date.now,
): BearerTokenSource {
  let current: { token: string; renewAt: number; expiresAt: number } | undefined;
  let signing: Promise<string> | undefined;
  const renew = async () => {
    const startedAt = now();
    let signed: SignedToken;
    try {
      signed = await sign({ region });
    } catch (error) {
      // A credential endpoint that hiccups while the token still has minutes to live must not stop the service.
      if (current && startedAt < current.expiresAt) {
        log.warn(
          { region, err: error },
          'could not renew the MSK IAM token yet; the current one is still valid',
        );
        return current.token;
      }
      throw new KafkaAccessError(
        `could not sign an MSK IAM token in ${region} with the AWS credential chain: ${(error as Error).message}`,
        { cause: error },
      );
    }
    current = {
      token: signed.token,
      renewAt: signed.expiryTime - (signed.expiryTime - startedAt) * RENEW_WHEN_LEFT,
      expiresAt: signed.expiryTime,
    };
    log.debug({ region, expiresAt: new Date(signed.expiryTime).toISOString() }, 'signed an MSK IAM token');
    return signed.token;
  };
  return () => {
    if (current && now() < current.renewAt) return Promise.resolve(current.token);
    signing ??= renew().finally(() => {
      signing = undefined;
    });
    return signing;
  };
}

/** A token kept fresh in a file by someone else (a sidecar, a mounted secret), read again for each authentication. */
export function tokenFile(path: string, log: Pick<Logger, 'debug'>): BearerTokenSource {
  return async () => {
    log.debug({ path }, 'read the OAUTHBEARER token file');
    let token: string;
    try {
      token = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw new KafkaAccessError(
        `cannot read the OAUTHBEARER token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        { cause: error },
      );
    }
    if (token === '') throw new KafkaAccessError(`the OAUTHBEARER token file ${path} is empty`);
    return token;
  };
}
