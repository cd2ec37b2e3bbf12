import { formatLogLine, painter, prefixer } from './output';

const plain = painter(false);

describe('pnpm start output', () => {
  it('renders a pino line as time, level, message and the other fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: '2026-11-27T01:53:51.123Z',
      service: 'governance-api',
      pid: 7,
      port: 4001,
      msg: 'governance subgraph listening',
    });
    expect(formatLogLine(line, plain)).toBe('01:53:51 INFO  governance subgraph listening port=4001');
  });

  it('shows an error message and its stack below', () => {
    const line = JSON.stringify({
      level: 50,
      time: '2026-11-27T01:53:51.123Z',
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
      msg: 'failed',
    });
    expect(formatLogLine(line, plain)).toBe('01:53:51 ERROR failed err="boom"\nError: boom\n    at x');
  });

  it('leaves anything else as it is', () => {
    expect(formatLogLine('plain text', plain)).toBe('plain text');
    expect(formatLogLine('{not json', plain)).toBe('{not json');
    expect(formatLogLine('{"a":1}', plain)).toBe('{"a":1}');
  });

  it('pads every prefix to the widest name', () => {
    const prefix = prefixer(['anju', 'gov-worker'], plain);
    expect(prefix('anju')).toBe('anju       │ ');
    expect(prefix('gov-worker')).toBe('gov-worker │ ');
  });
});
