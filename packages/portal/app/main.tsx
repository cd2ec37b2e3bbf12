import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api';
import { ROLES } from './labels';
import { SignInPage } from './pages/sign-in';
import { RegionPage } from './pages/region';
import { SitePage } from './pages/site';
import { HouseholdPage } from './pages/household';
import { GridWorkerPage } from './pages/grid-worker';
import { NgoPage } from './pages/ngo';
import { UnitPage } from './pages/unit';
import { ImportPage } from './pages/import';
import './styles.css';

/** The roles that import spreadsheets (officers, in their own scope). */
const IMPORTERS = ['province', 'county', 'site_officer'];

/** Hash routes (#/site/<id>): the gateway serves one index.html, so links work on reload. */
function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => {
      setRoute(read());
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function Page({ route }: { route: string[] }) {
  const s = session.get();
  const [name, id] = route;
  if (!s || name === 'sign-in') return <SignInPage />;
  switch (name) {
    case 'region':
      return <RegionPage code={id} />;
    case 'site':
      return <SitePage id={id} />;
    case 'household':
      return <HouseholdPage id={id} />;
    case 'grid':
      return <GridWorkerPage />;
    case 'ngo':
      return <NgoPage />;
    case 'unit':
      return <UnitPage />;
    case 'import':
      return IMPORTERS.includes(s.role) ? <ImportPage /> : null;
    default:
      location.hash = s.home;
      return null;
  }
}

function App() {
  const route = useRoute();
  const s = session.get();
  return (
    <>
      <header class="top">
        <a class="brand" href={s ? s.home : '#/sign-in'}>安居 · 安置社区治理</a>
        {s && (
          <span class="who">
            {IMPORTERS.includes(s.role) && <a href="#/import" data-nav-import>数据导入</a>}{' '}
            {s.label}（{ROLES[s.role] ?? s.role}）
            <button
              type="button"
              class="link"
              onClick={() => {
                session.clear();
                location.hash = '#/sign-in';
              }}
            >
              退出
            </button>
          </span>
        )}
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "loading" line index.html shows until the script runs
render(<App />, root);
