import type { Rng } from './prng.js';

/**
 * User agents in the forms the tools really send, with versions drawn from plausible ranges. Consumers match
 * them by prefix or substring (aws-cli/, Boto3/, aws-sam-cli/, Terraform/), so the surrounding detail matters
 * only for record size and realism.
 */
export type UserAgentKind = 'aws-cli' | 'aws-sdk-js' | 'boto3' | 'aws-sam-cli' | 'terraform';

const kebab = (operation: string) => operation.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

export function userAgent(kind: UserAgentKind, rng: Rng, operation: string): string {
  switch (kind) {
    case 'aws-cli': {
      const python = `3.11.${rng.int(6, 9)}`;
      return `aws-cli/2.${rng.int(13, 22)}.${rng.int(0, 40)} Python/${python} Linux/6.${rng.int(1, 8)}.0-1015-aws exe/x86_64.ubuntu.22 prompt/off command/serverlessrepo.${kebab(operation)}`;
    }
    case 'aws-sdk-js': {
      const sdk = `3.${rng.int(450, 700)}.0`;
      return `aws-sdk-js/${sdk} ua/2.1 os/linux#5.10.219-208.866.amzn2.x86_64 lang/js md/nodejs#20.${rng.int(10, 19)}.0 api/serverlessrepo#${sdk}`;
    }
    case 'boto3': {
      const botocore = `1.34.${rng.int(0, 160)}`;
      return `Boto3/${botocore} md/Botocore#${botocore} ua/2.0 os/linux#6.1.0-1019-aws md/arch#x86_64 lang/python#3.12.${rng.int(1, 7)} md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${botocore}`;
    }
    case 'aws-sam-cli': {
      // SAM CLI calls through botocore and appends itself as the "extra" part of the agent.
      const botocore = `1.34.${rng.int(0, 160)}`;
      return `Boto3/${botocore} md/Botocore#${botocore} ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.${rng.int(6, 9)} md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${botocore} aws-sam-cli/1.${rng.int(100, 130)}.0`;
    }
    case 'terraform': {
      const go = `1.22.${rng.int(1, 8)}`;
      return `APN/1.0 HashiCorp/1.0 Terraform/1.${rng.int(5, 9)}.${rng.int(0, 6)} (+https://www.terraform.io) terraform-provider-aws/5.${rng.int(40, 80)}.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.${rng.int(0, 5)} os/linux lang/go#${go} md/GOOS#linux md/GOARCH#amd64 api/serverlessrepo#1.22.${rng.int(0, 4)}`;
    }
  }
}

/** Source addresses from the RFC 5737 documentation ranges: public-looking, but nobody's real address. */
export function publicAddress(rng: Rng): string {
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}
