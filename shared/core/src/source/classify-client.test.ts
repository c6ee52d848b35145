import { describe, expect, it } from 'vitest';
import { classifyClient } from './classify-client.js';

const S3_CONSOLE =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]';
const RDS_CONSOLE =
  'RDS Console, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217-183.860.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard';

describe('classifyClient', () => {
  // A service acting with the caller's credentials (a forward access session) is not the console: docs/events-v1.md,
  // identity.viaConsole. The client rules table there still lists `AWS Internal` under console (reported as stale).
  it("'AWS Internal' is an AWS service", () => {
    expect(classifyClient('AWS Internal')).toEqual({ kind: 'aws-service', language: null, version: null });
  });

  it.each([
    ['console.amazonaws.com'],
    ['signin.amazonaws.com'],
    ['console.ec2.amazonaws.com'],
    ['console.s3.amazonaws.com'],
    [S3_CONSOLE],
    [RDS_CONSOLE],
  ])('%s is the console', (userAgent) => {
    expect(classifyClient(userAgent)).toEqual({ kind: 'console', language: null, version: null });
  });

  it('a service console comes before the internal SDK it runs on', () => {
    expect(classifyClient(S3_CONSOLE).kind).toBe('console');
    expect(classifyClient(RDS_CONSOLE).kind).toBe('console');
    // Without the console in front, the same text is just the Java SDK.
    expect(classifyClient(RDS_CONSOLE.slice('RDS Console, '.length))).toEqual({
      kind: 'sdk',
      language: 'java',
      version: '1.12.488',
    });
  });

  it.each([
    ['cloudformation.amazonaws.com', 'cloudformation'],
    ['lambda.amazonaws.com', 'aws-service'],
    ['serverlessrepo.amazonaws.com', 'aws-service'],
    ['AWS Internal ', 'other'],
    ['aws internal', 'other'],
    ['consoles.amazonaws.com', 'aws-service'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0', 'other'],
  ])('%j is %s, not the console', (userAgent, kind) => {
    expect(classifyClient(userAgent).kind).toBe(kind);
  });

  it.each([[undefined], ['']])('%j is unknown: no user agent', (userAgent) => {
    expect(classifyClient(userAgent)).toEqual({ kind: 'unknown', language: null, version: null });
  });
});
