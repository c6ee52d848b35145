import { DevstackError } from './errors.js';
import { isNotFound, lastLines, runCommand } from './exec.js';

const MIN_JAVA_MAJOR = 17;
const INSTALL_HINT =
  'install a Java 17+ JDK and Maven (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven; ' +
  'macOS: brew install openjdk@17 maven)';

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, for Java 8, `"1.8.0_392"`. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export async function requireJava(): Promise<void> {
  let output: string;
  try {
    output = (await runCommand('java', ['-version'])).output;
  } catch (err) {
    if (isNotFound(err)) {
      throw new DevstackError('JAVA_MISSING', `java was not found on PATH: ${INSTALL_HINT}`, { cause: err });
    }
    throw err;
  }
  const major = parseJavaMajor(output);
  if (major !== undefined && major < MIN_JAVA_MAJOR) {
    throw new DevstackError(
      'JAVA_TOO_OLD',
      `java ${major} is too old for the local Kafka broker: ${INSTALL_HINT}`,
    );
  }
}

export async function requireMaven(): Promise<void> {
  try {
    const result = await runCommand('mvn', ['-v']);
    if (result.exitCode !== 0) {
      throw new DevstackError(
        'MAVEN_FAILED',
        `mvn -v exited with ${result.exitCode}: ${lastLines(result.output, 5)}\n${INSTALL_HINT}`,
      );
    }
  } catch (err) {
    if (isNotFound(err)) {
      throw new DevstackError('MAVEN_MISSING', `mvn was not found on PATH: ${INSTALL_HINT}`, { cause: err });
    }
    throw err;
  }
}
