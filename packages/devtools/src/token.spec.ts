import { issuerSettings, mintToken, platformSettings, loadConfig, verifyBearer } from '@anju/kit';
import { parseTokenArgs, UsageError, type TokenRequest } from './token';

const parse = (...argv: string[]) => parseTokenArgs(argv) as TokenRequest;

describe('pnpm token flags', () => {
  it('accumulates repeated scope flags into lists and defaults the subject and lifetime', () => {
    expect(parse('--role', 'grid_worker', '--grid', '9a1f0c2e-0000-4000-8000-000000000001', '--grid=9a1f0c2e-0000-4000-8000-000000000002', '--site', '5e7b3d10-0000-4000-8000-000000000001')).toEqual({
      claims: { sub: 'dev-grid_worker', role: 'grid_worker', regions: [], sites: ['5e7b3d10-0000-4000-8000-000000000001'], grids: ['9a1f0c2e-0000-4000-8000-000000000001', '9a1f0c2e-0000-4000-8000-000000000002'] },
      ttl: '8h',
    });
  });

  it('takes single-valued scopes, a subject and a lifetime', () => {
    expect(parse('--role', 'ngo_member', '--org', '0c9e4a51-0000-4000-8000-000000000001', '--sub', 'alice', '--ttl', '30m')).toEqual({
      claims: { sub: 'alice', role: 'ngo_member', regions: [], sites: [], grids: [], org: '0c9e4a51-0000-4000-8000-000000000001' },
      ttl: '30m',
    });
  });

  it('reports every bad flag at once', () => {
    let error: Error | undefined;
    try {
      parseTokenArgs(['--role', 'king', '--region', '5x', '--colour', 'red', '--ttl', 'soon', '--org', 'a', '--org', 'b', '--site']);
    } catch (err) {
      error = err as Error;
    }
    expect(error).toBeInstanceOf(UsageError);
    const lines = error!.message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'unknown flag --colour',
        '--org given twice (only --region, --site and --grid repeat)',
        '--site needs a value',
        expect.stringMatching(/^--role "king" is not a role \(one of province, county/),
        expect.stringMatching(/^--region "5x" is not a GB\/T 2260 code/),
        expect.stringMatching(/^--ttl "soon" is not a duration/),
      ]),
    );
  });

  it('requires a role and answers --help', () => {
    expect(() => parseTokenArgs([])).toThrow('--role is required');
    expect(parseTokenArgs(['--role', 'province', '--help'])).toBe('help');
  });

  it('mints a token the subgraphs accept', async () => {
    const req = parse('--role', 'province', '--region', '53', '--region', '5301');
    const token = await mintToken(req.claims, loadConfig(issuerSettings, {}), req.ttl);
    const principal = await verifyBearer(`Bearer ${token}`, loadConfig(platformSettings, {}));
    expect(principal).toMatchObject({ subject: 'dev-province', role: 'province', regions: ['53', '5301'] });
  });
});
