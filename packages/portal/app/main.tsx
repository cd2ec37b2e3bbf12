import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { session, useQuery } from './api';
import { UNREAD_COUNT } from './generated/operations';
import { ROLES } from './labels';
import { SignInPage } from './pages/sign-in';
import { RegionPage } from './pages/region';
import { SitePage } from './pages/site';
import { HouseholdPage } from './pages/household';
import { GridWorkerPage } from './pages/grid-worker';
import { NgoPage } from './pages/ngo';
import { UnitPage } from './pages/unit';
import { ImportPage } from './pages/import';
import { InboxPage, UNREAD_EVENT } from './pages/inbox';
import { ProposalPage, ProposalsPage } from './pages/proposals';
import { SurveyPage, SurveysPage } from './pages/surveys';
import './styles.css';

/** The roles that import spreadsheets (officers, in their own scope). */
const IMPORTERS = ['province', 'county', 'site_officer'];
/** The roles that take part in deliberation and surveys (议事、问卷): officers, grid workers, residents. */
const VOICES = ['province', 'county', 'site_officer', 'grid_worker', 'resident'];

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
    case 'inbox':
      return <InboxPage />;
    case 'proposals':
      return VOICES.includes(s.role) ? <ProposalsPage /> : null;
    case 'proposal':
      return VOICES.includes(s.role) ? <ProposalPage id={id} /> : null;
    case 'surveys':
      return VOICES.includes(s.role) ? <SurveysPage /> : null;
    case 'survey':
      return VOICES.includes(s.role) ? <SurveyPage id={id} /> : null;
    default:
      location.hash = s.home;
      return null;
  }
}

/** 消息 with the unread count, asked again on every page change and told by the inbox after a mark-read. */
function InboxLink({ route }: { route: string }) {
  const [r, retry] = useQuery(UNREAD_COUNT);
  const [told, setTold] = useState<number | null>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false; // the query above has just asked
      return;
    }
    setTold(null);
    retry();
  }, [route]);
  useEffect(() => {
    const on = (e: Event) => setTold((e as CustomEvent<number>).detail);
    window.addEventListener(UNREAD_EVENT, on);
    return () => window.removeEventListener(UNREAD_EVENT, on);
  }, []);
  const n = told ?? (r.state === 'ok' ? r.data.myUnreadNotificationCount : 0);
  return (
    <a href="#/inbox" data-nav-inbox>
      消息
      {n > 0 && (
        <b class="badge" data-unread>
          {n}
        </b>
      )}
    </a>
  );
}

function App() {
  const route = useRoute();
  const s = session.get();
  return (
    <>
      <header class="top">
        <a class="brand" href={s ? s.home : '#/sign-in'}>
          安居 · 安置社区治理
        </a>
        {s && (
          <span class="who">
            <InboxLink route={route.join('/')} />{' '}
            {VOICES.includes(s.role) && (
              <>
                <a href="#/proposals" data-nav-proposals>
                  议事
                </a>{' '}
                <a href="#/surveys" data-nav-surveys>
                  问卷
                </a>{' '}
              </>
            )}
            {IMPORTERS.includes(s.role) && (
              <a href="#/import" data-nav-import>
                数据导入
              </a>
            )}{' '}
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
