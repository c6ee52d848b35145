import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mskIamTokens, type SignedToken, tokenFile } from './bearer-tokens.js';
import { KafkaAccessError } from './errors.js';

const LIFETIME_MS = 15 * 60_000;

const quiet = { debug: () => {}, warn: () => {} };

/** A logger that keeps what it was given, to check that no token is logged. */
function recordingLog() {
  const entries: unknown[] = [];
  return {
    entries,
    debug: (...args: unknown[]) => void entries.push(args),
    warn: (...args: unknown[]) => void entries.push(args),
  };
}

/** A clock the test moves, and a signer that counts its signings and issues tokens valid for LIFETIME_MS. */
function fakeSigner() {
  const clock = { time: 1_700_000_000_000 };
  const regions: string[] = [];
  const sign = async ({ region }: { region: string }): Promise<SignedToken> => {
    regions.push(region);
    return { token: `token-${regions.length}`, expiryTime: clock.time + LIFETIME_MS };
  };
  return { clock, regions, sign, now: () => clock.time };
}

/** A promise and the functions that settle it, for a signer the test answers when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('mskIamTokens', () => {
  it('signs in its region once and serves the token from cache', async () => {
    const signer = fakeSigner();
    const tokens = mskIamTokens('eu-west-1', quiet, signer.sign, signer.now);
    expect(await tokens()).toBe('token-1');
    signer.clock.time += 60_000;
    expect(await tokens()).toBe('token-1');
    expect(signer.regions).toEqual(['eu-west-1']);
  });

  it('renews once a fifth of the lifetime is left, not before', async () => {
    const signer = fakeSigner();
    const tokens = mskIamTokens('eu-west-1', quiet, signer.sign, signer.now);
    const start = signer.clock.time;
    expect(await tokens()).toBe('token-1');

    signer.clock.time = start + LIFETIME_MS * 0.8 - 1;
    expect(await tokens()).toBe('token-1');
    expect(signer.regions).toHaveLength(1);

    signer.clock.time = start + LIFETIME_MS * 0.8;
    expect(await tokens()).toBe('token-2');
    expect(signer.regions).toHaveLength(2);

    // The renewed token is timed from its own signing.
    signer.clock.time += LIFETIME_MS * 0.8 - 1;
    expect(await tokens()).toBe('token-2');
    signer.clock.time += 1;
    expect(await tokens()).toBe('token-3');
  });

  it('counts the lifetime from when signing started', async () => {
    const clock = { time: 0 };
    let signings = 0;
    // Signing takes a minute; the token expires fifteen minutes after it started.
    const sign = async () => {
      signings++;
      const expiryTime = clock.time + LIFETIME_MS;
      clock.time += 60_000;
      return { token: `token-${signings}`, expiryTime };
    };
    const tokens = mskIamTokens('eu-west-1', quiet, sign, () => clock.time);
    expect(await tokens()).toBe('token-1');
    clock.time = LIFETIME_MS * 0.8 - 1;
    expect(await tokens()).toBe('token-1');
    clock.time = LIFETIME_MS * 0.8;
    expect(await tokens()).toBe('token-2');
  });

  it('logs its signings without the token', async () => {
    const signer = fakeSigner();
    const log = recordingLog();
    const tokens = mskIamTokens('eu-west-1', log, signer.sign, signer.now);
    expect(await tokens()).toBe('token-1');
    expect(log.entries).toHaveLength(1);
    expect(JSON.stringify(log.entries)).toContain('eu-west-1');
    expect(JSON.stringify(log.entries)).not.toContain('token-1');
  });

  it('keeps serving a still-valid token while renewing fails, and fails once it has expired', async () => {
    const signer = fakeSigner();
    let failing = false;
    const sign = (options: { region: string }) =>
      failing ? Promise.reject(new Error('credential endpoint timed out')) : signer.sign(options);
    const tokens = mskIamTokens('eu-west-1', quiet, sign, signer.now);
    const start = signer.clock.time;
    expect(await tokens()).toBe('token-1');
    failing = true;
    signer.clock.time = start + LIFETIME_MS * 0.9;
    expect(await tokens()).toBe('token-1');
    signer.clock.time = start + LIFETIME_MS;
    await expect(tokens()).rejects.toThrow(KafkaAccessError);
  });

  it('shares one signing among callers that ask at once', async () => {
    const pending = deferred<SignedToken>();
    let signings = 0;
    const tokens = mskIamTokens(
      'eu-west-1',
      quiet,
      () => {
        signings++;
        return pending.promise;
      },
      () => 0,
    );
    const answers = Promise.all([tokens(), tokens(), tokens()]);
    expect(signings).toBe(1);
    pending.resolve({ token: 'shared', expiryTime: LIFETIME_MS });
    expect(await answers).toEqual(['shared', 'shared', 'shared']);
    expect(await tokens()).toBe('shared');
    expect(signings).toBe(1);
  });

  it('turns a signing failure into a KafkaAccessError naming the region, and signs again next time', async () => {
    const failure = new Error('Could not load credentials from any providers');
    let signings = 0;
    const tokens = mskIamTokens(
      'ap-southeast-2',
      quiet,
      async () => {
        signings++;
        if (signings === 1) throw failure;
        return { token: 'after-retry', expiryTime: LIFETIME_MS };
      },
      () => 0,
    );

    const error = await tokens().then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as KafkaAccessError).message).toContain('ap-southeast-2');
    expect((error as KafkaAccessError).message).toContain('Could not load credentials from any providers');
    expect((error as KafkaAccessError).cause).toBe(failure);

    expect(await tokens()).toBe('after-retry');
    expect(signings).toBe(2);
  });

  it('fails every caller waiting on a signing that fails, once', async () => {
    const pending = deferred<SignedToken>();
    let signings = 0;
    const tokens = mskIamTokens(
      'eu-west-1',
      quiet,
      () => {
        signings++;
        return pending.promise;
      },
      () => 0,
    );
    const answers = Promise.allSettled([tokens(), tokens()]);
    pending.reject(new Error('throttled'));
    const settled = await answers;
    expect(settled.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
    for (const answer of settled) {
      expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(KafkaAccessError);
    }
    expect(signings).toBe(1);
  });
});

describe('tokenFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarwatch-token-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file again for each token, trimmed', async () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'first-token\n');
    const tokens = tokenFile(path, quiet);
    expect(await tokens()).toBe('first-token');
    writeFileSync(path, '  second-token \r\n');
    expect(await tokens()).toBe('second-token');
  });

  it('logs its reads without the token', async () => {
    const path = join(dir, 'logged-token');
    writeFileSync(path, 'bearer-value-xyz');
    const log = recordingLog();
    expect(await tokenFile(path, log)()).toBe('bearer-value-xyz');
    expect(JSON.stringify(log.entries)).toContain(path);
    expect(JSON.stringify(log.entries)).not.toContain('bearer-value-xyz');
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\n'],
  ])('refuses an %s file', async (_case, text) => {
    const path = join(dir, `token-${_case}`);
    writeFileSync(path, text);
    await expect(tokenFile(path, quiet)()).rejects.toThrow(KafkaAccessError);
    await expect(tokenFile(path, quiet)()).rejects.toThrow(/token file .* is empty/);
  });

  it('refuses a missing file, naming it and why', async () => {
    const path = join(dir, 'gone');
    const error = await tokenFile(path, quiet)().then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as KafkaAccessError).message).toContain(path);
    expect((error as KafkaAccessError).message).toContain('ENOENT');
  });
});
