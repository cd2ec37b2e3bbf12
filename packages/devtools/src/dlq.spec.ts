import { deadLetterTable, parseDlqArgs, schemaOf } from './dlq';

describe('pnpm dlq', () => {
  it('parses list and replay, with or without event ids', () => {
    expect(parseDlqArgs(['list', 'social-orgs'])).toEqual({ action: 'list', service: 'social-orgs' });
    expect(parseDlqArgs(['replay', 'matching'])).toEqual({
      action: 'replay',
      service: 'matching',
      eventIds: undefined,
    });
    const id = '0b5e8f1c-4a2d-4c3e-9f10-1234567890ab';
    expect(parseDlqArgs(['replay', 'governance', id])).toEqual({
      action: 'replay',
      service: 'governance',
      eventIds: [id],
    });
    expect(parseDlqArgs([])).toEqual({ action: 'help' });
  });

  it('refuses unknown commands, services and ids that are not UUIDs', () => {
    expect(() => parseDlqArgs(['show', 'governance'])).toThrow('unknown command "show"');
    expect(() => parseDlqArgs(['list', 'payroll'])).toThrow('unknown service "payroll"');
    expect(() => parseDlqArgs(['list'])).toThrow('list needs a service');
    expect(() => parseDlqArgs(['replay', 'governance', '42'])).toThrow('not an event id (a UUID): 42');
  });

  it('maps a service to its PostgreSQL schema', () => {
    expect(schemaOf('social-orgs')).toBe('social_orgs');
    expect(schemaOf('governance')).toBe('governance');
  });

  it('prints dead letters as a table, one line each', () => {
    const table = deadLetterTable([
      {
        eventId: '0b5e8f1c-4a2d-4c3e-9f10-1234567890ab',
        event: 'resident.registered',
        error: 'boom\n  at x',
        attempts: 8,
        failedAt: new Date('2026-01-02T03:04:05Z'),
        replayCount: 0,
        replayedAt: null,
      },
    ]);
    expect(table.split('\n')).toEqual([
      'event id                              event                attempts  failed at            replays  error',
      '------------------------------------  -------------------  --------  -------------------  -------  ---------',
      '0b5e8f1c-4a2d-4c3e-9f10-1234567890ab  resident.registered  8         2026-01-02 03:04:05  0        boom at x',
    ]);
  });
});
