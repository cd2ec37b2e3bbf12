import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROLES, issuerSettings, mintToken, platformSettings, loadConfig, verifyBearer } from '@anju/kit';
import { parseTokenArgs, UsageError, type TokenRequest } from './token';

const parse = (...argv: string[]) => parseTokenArgs(argv) as TokenRequest;

describe('pnpm token flags', () => {
  it('accumulates repeated scope flags into lists and defaults the subject and lifetime', () => {
    expect(
      parse(
        '--role',
        'grid_worker',
        '--grid',
        '9a1f0c2e-0000-4000-8000-000000000001',
        '--grid=9a1f0c2e-0000-4000-8000-000000000002',
        '--site',
        '5e7b3d10-0000-4000-8000-000000000001',
      ),
    ).toEqual({
      claims: {
        sub: 'dev-grid_worker',
        role: 'grid_worker',
        regions: [],
        sites: ['5e7b3d10-0000-4000-8000-000000000001'],
        grids: ['9a1f0c2e-0000-4000-8000-000000000001', '9a1f0c2e-0000-4000-8000-000000000002'],
      },
      ttl: '8h',
    });
  });

  it('takes single-valued scopes, a subject and a lifetime', () => {
    expect(
      parse('--role', 'ngo_member', '--org', '0c9e4a51-0000-4000-8000-000000000001', '--sub', 'alice', '--ttl', '30m'),
    ).toEqual({
      claims: {
        sub: 'alice',
        role: 'ngo_member',
        regions: [],
        sites: [],
        grids: [],
        org: '0c9e4a51-0000-4000-8000-000000000001',
      },
      ttl: '30m',
    });
  });

  it('reports every bad flag at once', () => {
    let error: Error | undefined;
    try {
      parseTokenArgs([
        '--role',
        'king',
        '--region',
        '5x',
        '--colour',
        'red',
        '--ttl',
        'soon',
        '--org',
        'a',
        '--org',
        'b',
        '--site',
      ]);
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

  /** The command itself, as `pnpm -s token …` runs it: exit code, stdout, stderr. */
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'token.ts'), ...args],
        { cwd: path.join(__dirname, '..', '..', '..') },
        (_e, out, err) => resolve({ code: child.exitCode, out, err }),
      );
    });
  const SCOPE_FLAG: Record<string, string> = {
    province: '--region',
    county: '--region',
    site_officer: '--site',
    grid_worker: '--grid',
    ngo_member: '--org',
    unit_member: '--unit',
    resident: '--resident',
    volunteer: '--volunteer',
  };

  it('refuses every role without its scope: exit 2, the missing flag named, no token printed', async () => {
    expect(Object.keys(SCOPE_FLAG).sort()).toEqual([...ROLES].sort());
    // Every role through the check the command makes before printing…
    const config = loadConfig(platformSettings, {});
    const issuer = loadConfig(issuerSettings, {});
    for (const role of ROLES) {
      const req = parse('--role', role);
      await expect(verifyBearer(`Bearer ${await mintToken(req.claims, issuer, req.ttl)}`, config)).rejects.toThrow(
        `a ${role} token needs the`,
      );
    }
    // …and the command itself, for a role scoped by a list and one by a single id.
    const runs = await Promise.all(['county', 'volunteer'].map((role) => cli('--role', role)));
    expect(runs.map(({ code, out }) => ({ code, out }))).toEqual([
      { code: 2, out: '' },
      { code: 2, out: '' },
    ]);
    expect(runs[0].err).toContain('token: a county token needs --region.');
    expect(runs[1].err).toContain('token: a volunteer token needs --volunteer.');
  }, 180_000);

  it('prints one token, and only it, when the scope is given', async () => {
    const { code, out, err } = await cli('--role', 'site_officer', '--site', '6f1c2a4e-7d5b-4c3a-9e8f-0a1b2c3d4e5f');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const config = loadConfig(platformSettings, {});
    expect(await verifyBearer(`Bearer ${out.trim()}`, config)).toMatchObject({
      role: 'site_officer',
      sites: ['6f1c2a4e-7d5b-4c3a-9e8f-0a1b2c3d4e5f'],
    });
  }, 60_000);
});
