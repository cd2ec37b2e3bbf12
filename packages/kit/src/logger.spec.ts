import { createLogger, scrub, scrubText } from './logger';
import { LogLines } from './test-support';
import { runWithRequestId } from './request-context';

describe('log scrubbing (PIPL)', () => {
  it('removes ID numbers and phones from free text', () => {
    expect(scrubText('duplicate 53010219850312123X for 13812341234')).toBe(
      'duplicate [ID-REDACTED] for [PHONE-REDACTED]',
    );
  });

  it('drops sensitive keys and scrubs nested values and errors', () => {
    const err = Object.assign(new Error('insert failed for 53010219850312123X'), { parameters: ['13812341234', 7] });
    expect(scrub({ nationalId: 'x', input: { phone: '1', note: 'call 13812341234' }, err })).toEqual({
      nationalId: '[REDACTED]',
      input: { phone: '[REDACTED]', note: 'call [PHONE-REDACTED]' },
      err: expect.objectContaining({ message: 'insert failed for [ID-REDACTED]', parameters: ['[PHONE-REDACTED]', 7] }),
    });
  });

  it('writes JSON lines carrying the request id', () => {
    const out = new LogLines();
    const logger = createLogger({ service: 'test', level: 'info', destination: out });
    runWithRequestId('req-1', () =>
      logger.info({ variables: { input: { nationalId: '53010219850312123X' } } }, 'registered 53010219850312123X'),
    );
    const [line] = out.entries();
    expect(line).toMatchObject({ service: 'test', requestId: 'req-1', msg: 'registered [ID-REDACTED]' });
    expect(JSON.stringify(line)).not.toContain('53010219850312123X');
  });
});
