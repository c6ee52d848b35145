import type { Client, ClientKind } from '../contract/enriched-event.js';
import { CONSOLE_HOST_AGENT, SERVICE_CONSOLE_AGENT } from '../identity/console-signals.js';

interface ClientRule {
  kind: ClientKind;
  /** Matches the user agent; group 1, when present, is the version. */
  pattern: RegExp;
  /**
   * Lower-case text that the lower-cased agent holds whenever the pattern matches. Most rules do not match, and
   * telling so with `includes` costs a fraction of running the pattern, which for an unanchored one means a search of
   * the whole agent (a third of the enrichment's time was these patterns). classify-client.test.ts checks each hint
   * against its pattern.
   */
  hint: string;
  language?: string;
}

/**
 * Ordered: tools built on an SDK put their own token beside the SDK's (SAM CLI runs on Boto3, Terraform on the Go
 * SDK), so the tools come before the SDKs, and the first match decides.
 */
export const CLIENT_RULES: readonly ClientRule[] = [
  { kind: 'console', pattern: CONSOLE_HOST_AGENT, hint: 'amazon' },
  { kind: 'console', pattern: SERVICE_CONSOLE_AGENT, hint: 'aws-internal/' },
  // An AWS service acting with the caller's credentials (a forward access session), not the console.
  { kind: 'aws-service', pattern: /^AWS Internal$/, hint: 'aws internal' },
  { kind: 'cloudformation', pattern: /^cloudformation\.amazonaws\.com$/, hint: 'cloudformation.' },
  { kind: 'sam-cli', pattern: /\baws-sam-cli\/(\S+)/i, hint: 'aws-sam-cli/' },
  { kind: 'terraform', pattern: /\bTerraform\/(\S+)|\bterraform-provider-aws\/(\S+)/i, hint: 'terraform' },
  { kind: 'aws-cli', pattern: /^aws-cli\/(\S+)/, hint: 'aws-cli/' },
  {
    kind: 'sdk',
    language: 'javascript',
    pattern: /\baws-sdk-js(?:-v3)?\/(\S+)|\baws-sdk-nodejs\/(\S+)/,
    hint: 'aws-sdk-',
  },
  { kind: 'sdk', language: 'python', pattern: /\bBoto3\/(\S+)|\bbotocore\/(\S+)/, hint: 'boto' },
  { kind: 'sdk', language: 'java', pattern: /\baws-sdk-java\/(\S+)/, hint: 'aws-sdk-java/' },
  { kind: 'sdk', language: 'go', pattern: /\baws-sdk-go(?:-v2)?\/(\S+)/, hint: 'aws-sdk-go' },
  {
    kind: 'sdk',
    language: 'dotnet',
    pattern: /\baws-sdk-dotnet(?:-coreclr|-core)?\/(\S+)/,
    hint: 'aws-sdk-dotnet',
  },
  { kind: 'sdk', language: 'ruby', pattern: /\baws-sdk-ruby\d?\/(\S+)/, hint: 'aws-sdk-ruby' },
  { kind: 'sdk', language: 'php', pattern: /\baws-sdk-php\/(\S+)/, hint: 'aws-sdk-php/' },
  { kind: 'sdk', language: 'rust', pattern: /\baws-sdk-rust\/(\S+)/, hint: 'aws-sdk-rust/' },
  { kind: 'sdk', language: 'cpp', pattern: /\baws-sdk-cpp\/(\S+)/, hint: 'aws-sdk-cpp/' },
  { kind: 'sdk', language: 'kotlin', pattern: /\baws-sdk-kotlin\/(\S+)/, hint: 'aws-sdk-kotlin/' },
  { kind: 'sdk', language: 'swift', pattern: /\baws-sdk-swift\/(\S+)/, hint: 'aws-sdk-swift/' },
  { kind: 'aws-service', pattern: /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$/, hint: '.amazonaws.com' },
];

/** Which tool made the call, read from CloudTrail's `userAgent`. */
export function classifyClient(userAgent: string | undefined): Client {
  if (userAgent === undefined || userAgent === '') return { kind: 'unknown', language: null, version: null };
  const lowerCase = userAgent.toLowerCase();
  for (const rule of CLIENT_RULES) {
    const match = lowerCase.includes(rule.hint) ? rule.pattern.exec(userAgent) : null;
    if (match) {
      const version = match.slice(1).find((group) => group !== undefined) ?? null;
      return { kind: rule.kind, language: rule.language ?? null, version };
    }
  }
  return { kind: 'other', language: null, version: null };
}
