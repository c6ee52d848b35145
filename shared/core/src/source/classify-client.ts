import type { Client, ClientKind } from '../contract/enriched-event.js';
import { CONSOLE_HOST_AGENT, SERVICE_CONSOLE_AGENT } from '../identity/console-signals.js';

interface ClientRule {
  kind: ClientKind;
  /** Matches the user agent; group 1, when present, is the version. */
  pattern: RegExp;
  language?: string;
}

/**
 * Ordered: tools built on an SDK put their own token beside the SDK's (SAM CLI runs on Boto3, Terraform on the Go
 * SDK), so the tools come before the SDKs, and the first match decides.
 */
const CLIENT_RULES: readonly ClientRule[] = [
  { kind: 'console', pattern: CONSOLE_HOST_AGENT },
  { kind: 'console', pattern: SERVICE_CONSOLE_AGENT },
  // An AWS service acting with the caller's credentials (a forward access session), not the console.
  { kind: 'aws-service', pattern: /^AWS Internal$/ },
  { kind: 'cloudformation', pattern: /^cloudformation\.amazonaws\.com$/ },
  { kind: 'sam-cli', pattern: /\baws-sam-cli\/(\S+)/i },
  { kind: 'terraform', pattern: /\bTerraform\/(\S+)|\bterraform-provider-aws\/(\S+)/i },
  { kind: 'aws-cli', pattern: /^aws-cli\/(\S+)/ },
  { kind: 'sdk', language: 'javascript', pattern: /\baws-sdk-js(?:-v3)?\/(\S+)|\baws-sdk-nodejs\/(\S+)/ },
  { kind: 'sdk', language: 'python', pattern: /\bBoto3\/(\S+)|\bbotocore\/(\S+)/ },
  { kind: 'sdk', language: 'java', pattern: /\baws-sdk-java\/(\S+)/ },
  { kind: 'sdk', language: 'go', pattern: /\baws-sdk-go(?:-v2)?\/(\S+)/ },
  { kind: 'sdk', language: 'dotnet', pattern: /\baws-sdk-dotnet(?:-coreclr|-core)?\/(\S+)/ },
  { kind: 'sdk', language: 'ruby', pattern: /\baws-sdk-ruby\d?\/(\S+)/ },
  { kind: 'sdk', language: 'php', pattern: /\baws-sdk-php\/(\S+)/ },
  { kind: 'sdk', language: 'rust', pattern: /\baws-sdk-rust\/(\S+)/ },
  { kind: 'sdk', language: 'cpp', pattern: /\baws-sdk-cpp\/(\S+)/ },
  { kind: 'sdk', language: 'kotlin', pattern: /\baws-sdk-kotlin\/(\S+)/ },
  { kind: 'sdk', language: 'swift', pattern: /\baws-sdk-swift\/(\S+)/ },
  { kind: 'aws-service', pattern: /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$/ },
];

/** Which tool made the call, read from CloudTrail's `userAgent`. */
export function classifyClient(userAgent: string | undefined): Client {
  if (userAgent === undefined || userAgent === '') return { kind: 'unknown', language: null, version: null };
  for (const rule of CLIENT_RULES) {
    const match = rule.pattern.exec(userAgent);
    if (match) {
      const version = match.slice(1).find((group) => group !== undefined) ?? null;
      return { kind: rule.kind, language: rule.language ?? null, version };
    }
  }
  return { kind: 'other', language: null, version: null };
}
