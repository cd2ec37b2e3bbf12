import { countResources, leftOpen, openAfter } from './open-resources';

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
});
