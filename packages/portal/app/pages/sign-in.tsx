import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, request, session, type Operation, type Session } from '../api';
import { SIGN_IN_CHOICES, SITE_GRIDS, type SignInChoicesQuery, type SiteGridsQuery } from '../generated/operations';
import { ROLES } from '../labels';
import { ErrorBox, Loading } from '../ui/states';
import { beginSignIn, completeSignIn, isCallback, signInConfig, type PortalSignIn } from '../oidc';

type Claims = { role: string; regions?: string[]; sites?: string[]; grids?: string[]; org?: string; unit?: string };

/** Asks the gateway's development-only endpoint for a token (absent in production). */
async function devToken(claims: Claims): Promise<string> {
  let res: Response;
  try {
    res = await fetch('/portal/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(claims),
    });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试。');
  }
  if (res.status === 404) throw new ApiError('这里是正式环境：请使用统一身份认证登录。');
  const body = (await res.json()) as { token?: string; error?: { message: string; field?: string } };
  if (!res.ok || !body.token) {
    const e = body.error;
    throw new ApiError(
      e?.message ?? '无法登录，请稍后再试。',
      e ? [{ code: 'BAD_USER_INPUT', field: e.field, message: e.message }] : [],
    );
  }
  return body.token;
}

/**
 * Reads the demo data to choose from as the province (development only). The token goes with the request
 * alone, never into the session: two reads at once (the sites, then a site's grids) must not clear each other's.
 */
async function asProvince<R, V>(op: Operation<R, V>, variables: V): Promise<R> {
  return request(op, variables, await devToken({ role: 'province', regions: ['53'] }));
}

/**
 * Sign-in (登录): with the province's identity provider where the gateway says one is set up
 * (always in production), else the development page. The provider's redirect back lands here too.
 */
export function SignInPage() {
  const [cfg, setCfg] = useState<PortalSignIn | ApiError | null>(null);
  useEffect(() => {
    signInConfig().then(setCfg, (e: unknown) => setCfg(e instanceof ApiError ? e : new ApiError(String(e))));
  }, []);
  if (!cfg) return <Loading what="登录方式" />;
  if (cfg instanceof ApiError) return <ErrorBox error={cfg} retry={() => location.reload()} />;
  if (cfg.signIn === 'oidc' && cfg.oidc) return <ProviderSignIn oidc={cfg.oidc} />;
  if (cfg.signIn === 'development') return <DevelopmentSignIn />;
  return (
    <div class="card sign-in">
      <h1>登录</h1>
      <p class="state error" role="alert">
        本系统尚未接入统一身份认证，暂时无法登录。请联系系统管理员。
      </p>
    </div>
  );
}

/** 统一身份认证登录: one button to the provider; on the way back, the code is traded for the session. */
function ProviderSignIn({ oidc }: { oidc: NonNullable<PortalSignIn['oidc']> }) {
  const [busy, setBusy] = useState(isCallback());
  const [error, setError] = useState<ApiError | null>(null);
  const fail = (e: unknown) => {
    setError(e instanceof ApiError ? e : new ApiError(String(e)));
    setBusy(false);
  };
  useEffect(() => {
    if (!isCallback()) return;
    completeSignIn(oidc).then((s) => {
      session.set(s);
      location.hash = s.home;
    }, fail);
  }, []);
  return (
    <form
      class="card sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        beginSignIn(oidc).catch(fail);
      }}
    >
      <h1>登录</h1>
      <p class="hint">使用省统一身份认证账号登录。您能看到和办理的事项，由您账号的角色和工作范围决定。</p>
      {error && <ErrorBox error={error} />}
      <button type="submit" class="primary" data-sign-in="oidc" disabled={busy}>
        {busy ? '正在登录…' : '使用统一身份认证登录'}
      </button>
    </form>
  );
}

/**
 * Development sign-in (开发环境登录): pick a role and its scope from the demo data. The choices
 * are read through the gateway with a province token from the same development endpoint.
 */
function DevelopmentSignIn() {
  const [choices, setChoices] = useState<SignInChoicesQuery | ApiError | null>(null);
  const [role, setRole] = useState('county');
  const [pick, setPick] = useState('');
  const [grid, setGrid] = useState('');
  const [grids, setGrids] = useState<SiteGridsQuery['grids']>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    asProvince(SIGN_IN_CHOICES, {}).then(setChoices, (e: unknown) =>
      setChoices(e instanceof ApiError ? e : new ApiError(String(e))),
    );
  }, []);

  const counties = useMemo(() => {
    if (!choices || choices instanceof ApiError) return [];
    const m = new Map<string, string>();
    for (const s of choices.sites.nodes) m.set(s.region.code, `${s.region.parent?.name ?? ''} ${s.region.name}`);
    return [...m].map(([code, name]) => ({ id: code, name }));
  }, [choices]);

  const options: { id: string; name: string }[] =
    !choices || choices instanceof ApiError
      ? []
      : role === 'province'
        ? [{ id: '53', name: '云南省' }]
        : role === 'county'
          ? counties
          : role === 'site_officer' || role === 'grid_worker'
            ? choices.sites.nodes.map((s) => ({ id: s.id, name: `${s.region.name} ${s.name}` }))
            : role === 'ngo_member'
              ? choices.organizations.nodes
              : choices.units;

  useEffect(() => setPick(options[0]?.id ?? ''), [role, choices]);
  useEffect(() => {
    setGrids([]);
    setGrid('');
    if (role !== 'grid_worker' || !pick) return;
    // A later pick outruns an earlier one's answer: only the current pick's grids are shown.
    let current = true;
    asProvince(SITE_GRIDS, { siteId: pick }).then(
      ({ grids: g }) => {
        if (!current) return;
        setGrids(g);
        setGrid(g[0]?.id ?? '');
      },
      (e: unknown) => current && setError(e instanceof ApiError ? e : new ApiError(String(e))),
    );
    return () => {
      current = false;
    };
  }, [role, pick]);

  if (!choices) return <Loading what="演示数据" />;
  if (choices instanceof ApiError) return <ErrorBox error={choices} retry={() => location.reload()} />;

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    const name = options.find((o) => o.id === pick)?.name ?? '';
    const claims: Claims =
      role === 'province' || role === 'county'
        ? { role, regions: [pick] }
        : role === 'site_officer'
          ? { role, sites: [pick] }
          : role === 'grid_worker'
            ? { role, sites: [pick], grids: grid ? [grid] : [] }
            : role === 'ngo_member'
              ? { role, org: pick }
              : { role, unit: pick };
    const home =
      role === 'province' || role === 'county'
        ? `#/region/${pick}`
        : role === 'site_officer'
          ? `#/site/${pick}`
          : role === 'grid_worker'
            ? '#/grid'
            : role === 'ngo_member'
              ? '#/ngo'
              : '#/unit';
    try {
      const token = await devToken(claims);
      const gridName = grids.find((g) => g.id === grid)?.name;
      const s: Session = {
        token,
        role,
        label: gridName ? `${name} ${gridName}` : name.trim(),
        home,
        scope: { ...claims },
      };
      session.set(s);
      location.hash = home;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card sign-in" onSubmit={submit}>
      <h1>登录（开发环境）</h1>
      <p class="hint">开发与演示环境：选择一个角色和它的工作范围即可登录。正式环境使用统一身份认证。</p>
      <label>
        角色
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {['province', 'county', 'site_officer', 'grid_worker', 'ngo_member', 'unit_member'].map((r) => (
            <option value={r}>{ROLES[r]}</option>
          ))}
        </select>
      </label>
      <label>
        工作范围
        <select name="scope" value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
          {options.map((o) => (
            <option value={o.id}>{o.name}</option>
          ))}
        </select>
        {!options.length && (
          <span class="field-error">演示数据中没有可选的范围，请先加载演示数据（pnpm seed --scale demo）。</span>
        )}
      </label>
      {role === 'grid_worker' && (
        <label>
          网格
          <select name="grid" value={grid} onChange={(e) => setGrid(e.currentTarget.value)}>
            {grids.map((g) => (
              <option value={g.id}>
                {g.name}
                {g.gridWorkerName ? `（${g.gridWorkerName}）` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && <ErrorBox error={error} />}
      <button type="submit" class="primary" disabled={busy || !pick}>
        {busy ? '正在登录…' : '登录'}
      </button>
    </form>
  );
}
