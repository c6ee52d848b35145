import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

function captureStdout(): () => string {
  let text = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return () => text;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the command list', () => {
  it('loads, for each command it lists, the command of that name', async () => {
    const overview = captureStdout();
    expect(await main(['--help'])).toBe(0);
    const names = [...overview().matchAll(/^ {2}(\w+) +\S/gm)].map((match) => match[1]);
    expect(names).toContain('run');
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      vi.restoreAllMocks();
      const help = captureStdout();
      expect(await main(['help', name ?? ''])).toBe(0);
      expect(help()).toMatch(new RegExp(`^Usage: sarwatch ${name}\\b`));
    }
  });
});
