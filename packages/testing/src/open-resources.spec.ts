import { spawn } from 'node:child_process';
import net from 'node:net';
import { activeHandles, countResources, describeHandle, leftOpen, openAfter } from './open-resources';

describe('what a test file left open', () => {
  it('counts the kinds that grew since the baseline, and only those', () => {
    const before = countResources(['PipeWrap', 'Timeout', 'TCPSocketWrap']);
    const after = countResources(['PipeWrap', 'Timeout', 'Timeout', 'TCPSocketWrap', 'ProcessWrap', 'ProcessWrap']);
    expect(leftOpen(before, after)).toEqual(['ProcessWrap ×2', 'Timeout ×1']);
    expect(leftOpen(after, before)).toEqual([]);
  });

  it('waits for a closing resource, and reports one that stays', async () => {
    const baseline = countResources(['PipeWrap']);
    // A socket that closes on the third look, then one that never does.
    const looks = [['PipeWrap', 'TCPSocketWrap'], ['PipeWrap', 'TCPSocketWrap'], ['PipeWrap']];
    expect(await openAfter(baseline, 2_000, () => countResources(looks.shift() ?? ['PipeWrap']))).toEqual([]);
    expect(looks).toEqual([]);
    expect(await openAfter(baseline, 300, () => countResources(['PipeWrap', 'Timeout']))).toEqual(['Timeout ×1']);
  });

  it('names each new handle: a child process by its command, a server by its address, stdio by its name', async () => {
    const before = activeHandles();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const found = [...activeHandles()].filter((h) => !before.has(h)).map(describeHandle);
      expect(found).toEqual(
        expect.arrayContaining([
          'ChildProcess (sleep 30)',
          expect.stringMatching(/^Server \(listening on .*127\.0\.0\.1/),
        ]),
      );
      expect(found).toHaveLength(2);
      expect(describeHandle(process.stderr)).toMatch(/\(process\.stderr\)$/);
    } finally {
      child.kill();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
