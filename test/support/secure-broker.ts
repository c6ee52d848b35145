import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateAuthority,
  createBrokerKeystore,
  createCertificateAuthority,
  type DevstackLog,
  defaultCacheDir,
  type RunningProcess,
  startKafka,
} from '@sarwatch/devstack';
import { TEST_PORTS } from './ports.js';

const log: DevstackLog = {
  info: (fields, msg) => process.stderr.write(`[secure broker] ${msg} ${JSON.stringify(fields)}\n`),
  warn: (fields, msg) => process.stderr.write(`[secure broker] WARN ${msg} ${JSON.stringify(fields)}\n`),
};

export const SCRAM_USER = 'sarwatch-test';

/** Forced on every SASL connection: kafkajs authenticates again 10 s before a session ends, so every 2 s here. */
export const REAUTHENTICATE_MS = 12_000;

export interface SecureBroker {
  broker: RunningProcess;
  dir: string;
  ca: CertificateAuthority;
  /** A CA that signed nothing the broker holds: trusting only it must fail. */
  otherCa: CertificateAuthority;
  password: string;
  plaintext: string;
  scram: string;
  oauth: string;
  /** A file with a valid unsecured JWS for `subject`, as Kafka's development validator accepts. */
  tokenFile(subject: string, name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A broker with TLS listeners of its own, certificates and SCRAM user made for this run; the harness's stays plain. */
export async function startSecureBroker(): Promise<SecureBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'sarwatch-test-secure-'));
  const ca = await createCertificateAuthority(join(dir, 'ca'));
  const otherCa = await createCertificateAuthority(join(dir, 'other-ca'), 'somebody else');
  const keystore = await createBrokerKeystore(join(dir, 'ca'), ca);
  const password = `pw-${Math.random().toString(36).slice(2)}-not-for-logs`;
  const broker = await startKafka({
    port: TEST_PORTS.secureKafka,
    controllerPort: TEST_PORTS.secureKafkaController,
    dataDir: join(dir, 'kafka'),
    cacheDir: defaultCacheDir(),
    log,
    secure: {
      scramPort: TEST_PORTS.secureKafkaScram,
      oauthPort: TEST_PORTS.secureKafkaOauth,
      reauthenticateMs: REAUTHENTICATE_MS,
      keystore,
      scramUsers: [{ name: SCRAM_USER, password }],
    },
  });
  return {
    broker,
    dir,
    ca,
    otherCa,
    password,
    plaintext: broker.address,
    scram: `127.0.0.1:${TEST_PORTS.secureKafkaScram}`,
    oauth: `127.0.0.1:${TEST_PORTS.secureKafkaOauth}`,
    async tokenFile(subject, name = subject) {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const file = join(dir, `${name}.token`);
      await writeFile(
        file,
        `${part({ alg: 'none' })}.${part({ sub: subject, iat: now, exp: now + 3_600 })}.`,
      );
      return file;
    },
    async stop() {
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
