import { randomUUID } from 'node:crypto';
import {
  REGISTER_RESIDENT,
  TestSystem,
  nationalId,
  residentInput,
  seedPlace,
  tokenFor,
  type Place,
} from '@anju/testing';

/**
 * An internal failure reaches the client as one generic line with the request id: no SQL, no
 * table or schema names, no personal data. The log keeps the detail under the same request
 * id, with ID numbers and phones scrubbed.
 */
describe('a forced database error', () => {
  let sys: TestSystem;
  let place: Place;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'errors', workers: [] });
    place = await seedPlace(sys, 1);
  });
  afterAll(() => sys?.stop());

  it('is masked for the client and detailed, but redacted, in the log', async () => {
    await sys.sql(`ALTER TABLE governance.resident RENAME TO resident_moved_away`);
    try {
      const requestId = `err-${randomUUID()}`;
      const token = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
      const id = nationalId('530102', '19900101', 77);
      const res = await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(place.householdIds[0], 77, { nationalId: id, phone: '13987654321' }) },
        token,
        requestId,
      );

      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({
        message: expect.stringMatching(/^Internal server error/),
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      });
      const body = JSON.stringify(res);
      for (const leak of [
        'resident',
        'governance',
        'INSERT',
        'relation',
        'stack',
        'QueryFailedError',
        id,
        id.slice(6, 14),
        '13987654321',
      ]) {
        expect(body).not.toContain(leak);
      }

      const lines = sys.logs.entries().filter((l) => l.requestId === requestId && l.level === 50);
      expect(lines.length).toBeGreaterThan(0);
      const logged = JSON.stringify(lines);
      expect(logged).toContain('does not exist');
      expect(logged).not.toContain(id);
      expect(logged).not.toContain('13987654321');
      expect(sys.logs.text()).not.toContain(id);
    } finally {
      await sys.sql(`ALTER TABLE governance.resident_moved_away RENAME TO resident`);
    }
  });
});
