import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DevstackError } from './errors.js';
import { lastLines, runCommand } from './exec.js';

export interface CertificateAuthority {
  /** The CA certificate, PEM: what clients trust (KAFKA_SSL_CA_FILE). */
  certFile: string;
  keyFile: string;
}

export interface BrokerKeystore {
  /** PKCS12, holding the broker's key and its certificate for 127.0.0.1 and localhost, signed by the CA. */
  file: string;
  password: string;
}

async function openssl(args: readonly string[], what: string): Promise<void> {
  const result = await runCommand('openssl', args).catch((error: unknown) => {
    throw new DevstackError('COMMAND_FAILED', `openssl is needed to ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  });
  if (result.exitCode !== 0) {
    throw new DevstackError('COMMAND_FAILED', `openssl could not ${what}:\n${lastLines(result.output, 10)}`);
  }
}

/** A throwaway CA for a local broker, made with the machine's openssl; valid for a week. */
export async function createCertificateAuthority(
  dir: string,
  name = 'sarwatch devstack CA',
): Promise<CertificateAuthority> {
  await mkdir(dir, { recursive: true });
  const ca = { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca.key') };
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '7', '-subj', `/CN=${name}`].concat([
      '-keyout',
      ca.keyFile,
      '-out',
      ca.certFile,
    ]),
    'make a test CA',
  );
  return ca;
}

/** The broker's key and certificate, for the names clients dial on this machine, as a PKCS12 keystore. */
export async function createBrokerKeystore(dir: string, ca: CertificateAuthority): Promise<BrokerKeystore> {
  const key = join(dir, 'broker.key');
  const request = join(dir, 'broker.csr');
  const cert = join(dir, 'broker.pem');
  const extensions = join(dir, 'broker.ext');
  const keystore = { file: join(dir, 'broker.p12'), password: randomBytes(12).toString('hex') };
  await writeFile(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', key, '-out', request],
    "make the broker's key",
  );
  await openssl(
    ['x509', '-req', '-in', request, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial'].concat([
      '-days',
      '7',
      '-extfile',
      extensions,
      '-out',
      cert,
    ]),
    "sign the broker's certificate",
  );
  await openssl(
    ['pkcs12', '-export', '-in', cert, '-inkey', key, '-certfile', ca.certFile, '-name', 'broker'].concat([
      '-out',
      keystore.file,
      '-passout',
      `pass:${keystore.password}`,
    ]),
    "write the broker's keystore",
  );
  return keystore;
}
