import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_RULES, classifyClient } from './classify-client.js';

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

describe('the rules’ hints', () => {
  // Pieces of real agents, in any case and order: the hints must never hide a match from its rule.
  const fragment = fc.constantFrom(
    'aws-cli/2.15.0',
    'aws-sam-cli/1.120.0',
    'Terraform/1.8.5',
    'terraform-provider-aws/5.54.1',
    'Boto3/1.34.17',
    'Botocore/1.34.17',
    'aws-sdk-js/3.600.0',
    'aws-sdk-nodejs/2.1',
    'aws-sdk-java/1.12.488',
    'aws-sdk-go-v2/1.30.0',
    'aws-sdk-go/1.55.0',
    'aws-sdk-js-v3/3.1',
    'aws-sdk-dotnet/3.7',
    'aws-sdk-ruby/2.0',
    'aws-sdk-dotnet-coreclr/3.7',
    'aws-sdk-ruby3/3.201.0',
    'aws-sdk-php/3.300.0',
    'aws-sdk-rust/1.3',
    'aws-sdk-cpp/1.11',
    'aws-sdk-kotlin/1.2',
    'aws-sdk-swift/0.40',
    'aws-internal/3',
    'S3Console/0.4',
    'RDS Console',
    'console.amazonaws.com',
    'signin.aws.amazon.com',
    'cloudformation.amazonaws.com',
    'lambda.amazonaws.com',
    'AWS Internal',
    '[',
    ']',
    ', ',
    ' ',
    '/',
    '.',
  );
  const recase = (text: string, cases: ('keep' | 'upper' | 'lower')[]) =>
    [...text]
      .map((char, index) => {
        const kind = cases[index % cases.length];
        return kind === 'upper' ? char.toUpperCase() : kind === 'lower' ? char.toLowerCase() : char;
      })
      .join('');
  const agent = fc
    .tuple(
      fc.array(fc.oneof(fragment, fc.string()), { maxLength: 6 }),
      fc.array(fc.constantFrom('keep' as const, 'keep' as const, 'upper' as const, 'lower' as const), {
        minLength: 1,
        maxLength: 40,
      }),
    )
    .map(([parts, cases]) => recase(parts.join(''), cases));

  it('are held by every agent their pattern matches', () => {
    fc.assert(
      fc.property(agent, (userAgent) => {
        for (const rule of CLIENT_RULES) {
          if (rule.pattern.test(userAgent)) expect(userAgent.toLowerCase()).toContain(rule.hint);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('change no answer: the first rule whose pattern matches decides', () => {
    fc.assert(
      fc.property(agent, (userAgent) => {
        const first = CLIENT_RULES.find((rule) => rule.pattern.test(userAgent));
        const expected = userAgent === '' ? 'unknown' : (first?.kind ?? 'other');
        expect(classifyClient(userAgent).kind).toBe(expected);
      }),
      { numRuns: 5_000 },
    );
  });
});
