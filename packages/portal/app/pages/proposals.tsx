import { useState } from 'preact/hooks';
import { request, useQuery } from '../api';
import {
  CAST_VOTE,
  CLOSE_VOTE,
  COMMENT_ON_PROPOSAL,
  COUNCIL_CANDIDATES,
  PROPOSAL_PAGE,
  PROPOSALS,
  RAISE_PROPOSAL,
  RECORD_COUNCIL_MEETING,
  type CouncilDecision,
  type ListKind,
  type ProposalPageQuery,
  type ProposalStatus,
} from '../generated/operations';
import { COUNCIL_DECISION, LIST_KIND, LIST_STATUS, PROPOSAL_STATUS, ROLES, VOTE_CHOICE, choices, say } from '../labels';
import { today, when } from '../dates';
import { Crumbs } from '../ui/crumbs';
import { DataTable, useCursor } from '../ui/table';
import { Empty, Show } from '../ui/states';
import { FormError, Submit, provinceInstant, useAction } from '../ui/action';
import { isClerk, isResident, useMySites } from './voice';

type Proposal = NonNullable<ProposalPageQuery['proposal']>;

const raisedBy = (p: { raisedByRole: string; raisedByMe: boolean }) =>
  p.raisedByMe ? '我' : p.raisedByRole === 'resident' ? '居民' : say(ROLES, p.raisedByRole);

/** 议事 — the proposals of the caller's sites, newest first, and raising a new one. */
export function ProposalsPage() {
  const [status, setStatus] = useState<ProposalStatus | ''>('');
  const cursor = useCursor(20);
  const [r, retry] = useQuery(PROPOSALS, { status: status || undefined, after: cursor.after });
  const canRaise = isResident() || isClerk();
  return (
    <>
      <h1>
        居民议事<small>社区事务共同谋划、共商共议</small>
      </h1>
      {canRaise && <RaiseProposal />}
      <section class="block">
        <h2>议题</h2>
        <div class="filters">
          <label>
            状态
            <select
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as ProposalStatus | '');
                cursor.reset();
              }}
            >
              <option value="">全部</option>
              {Object.entries(PROPOSAL_STATUS).map(([k, v]) => (
                <option value={k}>{v}</option>
              ))}
            </select>
          </label>
        </div>
        <Show result={r} retry={retry} what="议题">
          {({ proposals }) => (
            <>
              <DataTable
                name="proposals"
                exportName="议题"
                rows={proposals.nodes}
                empty="还没有议题。"
                columns={[
                  { label: '议题', value: (p) => p.title, render: (p) => <a href={`#/proposal/${p.id}`}>{p.title}</a> },
                  { label: '安置点', value: (p) => `${p.site.name}${p.building ? ` ${p.building.name}` : ''}` },
                  { label: '提出人', value: raisedBy },
                  { label: '提出时间', value: (p) => when(p.raisedAt) },
                  { label: '状态', value: (p) => say(PROPOSAL_STATUS, p.status) },
                ]}
              />
              {cursor.pager(proposals)}
            </>
          )}
        </Show>
      </section>
    </>
  );
}

/** 提出议题: a resident for the site they live in, an officer for a site of theirs. */
function RaiseProposal() {
  const sites = useMySites();
  const [open, setOpen] = useState(false);
  const [siteId, setSiteId] = useState('');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const act = useAction();
  if (!open) {
    return (
      <p>
        <button type="button" class="primary" data-raise-open onClick={() => setOpen(true)}>
          提出议题
        </button>
      </p>
    );
  }
  return (
    <Show result={sites} what="安置点">
      {(list) => {
        const site = siteId || list[0]?.id || '';
        if (!list.length) return <Empty>您的账号没有可以提出议题的安置点。</Empty>;
        return (
          <form
            class="block form"
            data-form="raise-proposal"
            onSubmit={async (e) => {
              e.preventDefault();
              let id = '';
              const ok = await act.run(async () => {
                const input = { siteId: site, title, body };
                id = (await request(RAISE_PROPOSAL, { input })).raiseProposal.id;
              });
              if (ok) location.hash = `#/proposal/${id}`;
            }}
          >
            <h2>提出议题</h2>
            {list.length > 1 && (
              <label>
                安置点
                <select name="siteId" value={site} onChange={(e) => setSiteId(e.currentTarget.value)}>
                  {list.map((s) => (
                    <option value={s.id}>{s.name}</option>
                  ))}
                </select>
              </label>
            )}
            <label>
              标题
              <input
                name="title"
                value={title}
                onInput={(e) => setTitle(e.currentTarget.value)}
                placeholder="例如：在3栋旁增设充电桩"
              />
            </label>
            <label>
              内容
              <textarea
                name="body"
                rows={4}
                value={body}
                onInput={(e) => setBody(e.currentTarget.value)}
                placeholder="说明要解决什么问题、怎么做、大概需要多少钱"
              />
            </label>
            <Submit act={act} label="提交议题" cancel={() => setOpen(false)} />
          </form>
        );
      }}
    </Show>
  );
}

/** One proposal: what it asks, the discussion, the council's decision, the household vote and its outcome. */
export function ProposalPage({ id }: { id: string }) {
  const [r, retry] = useQuery(PROPOSAL_PAGE, { id });
  return (
    <Show result={r} retry={retry} what="议题">
      {({ proposal: p }) => {
        if (!p) return <p class="state empty">没有这个议题，或它不在您的范围内。</p>;
        return (
          <>
            <Crumbs items={[{ label: '居民议事', href: '#/proposals' }, { label: p.title }]} />
            <h1>
              {p.title}
              <small data-proposal-status={p.status}>{say(PROPOSAL_STATUS, p.status)}</small>
            </h1>
            <section class="block">
              <p class="hint">
                {p.site.name}
                {p.building ? ` ${p.building.name}（本楼栋住户表决）` : ''} · {raisedBy(p)}提出于 {when(p.raisedAt)}
              </p>
              <p class="body">{p.body}</p>
            </section>
            <Outcome p={p} />
            <Voting p={p} done={retry} />
            {p.councilMeeting ? (
              <section class="block" data-block="council">
                <h2>居民议事会</h2>
                <p>
                  {p.councilMeeting.heldOn} 召开，出席 {p.councilMeeting.attendeeCount} 人， 决定：
                  <b>{say(COUNCIL_DECISION, p.councilMeeting.decision)}</b>
                </p>
                {p.councilMeeting.note && <p>理由或说明：{p.councilMeeting.note}</p>}
              </section>
            ) : p.status === 'OPEN' && isClerk() ? (
              <CouncilMeetingForm p={p} done={retry} />
            ) : null}
            <Comments p={p} done={retry} />
          </>
        );
      }}
    </Show>
  );
}

function Outcome({ p }: { p: Proposal }) {
  if (!p.decidedAt) return null;
  return (
    <section class="block" data-block="outcome">
      <h2>结果</h2>
      <p>
        <b>{say(PROPOSAL_STATUS, p.status)}</b>，{when(p.decidedAt)} 决定。
      </p>
      {p.outcomeNotice && <p>已在居务公开栏公布：{p.outcomeNotice.title}</p>}
      {p.listItem && (
        <p data-list-item={p.listItem.id}>
          列入清单：{p.listItem.title}（{say(LIST_STATUS, p.listItem.status)}）
        </p>
      )}
    </section>
  );
}

/** The household vote: counts so far, a resident's vote for their household, an officer's count after the deadline. */
function Voting({ p, done }: { p: Proposal; done: () => void }) {
  const act = useAction();
  const v = p.voting;
  if (!v) return null;
  const voting = p.status === 'VOTING';
  return (
    <section class="block" data-block="voting">
      <h2>
        住户表决
        <small>
          一户一票，{when(v.opensAt)} 至 {when(v.closesAt)}
        </small>
      </h2>
      <dl class="facts">
        <div>
          <dt>赞成</dt>
          <dd data-fact="votes-for">{v.votesFor}</dd>
        </div>
        <div>
          <dt>反对</dt>
          <dd data-fact="votes-against">{v.votesAgainst}</dd>
        </div>
        <div>
          <dt>弃权</dt>
          <dd>{v.votesAbstain}</dd>
        </div>
        <div>
          <dt>已表决户数</dt>
          <dd data-fact="voted">{v.votedHouseholds}</dd>
        </div>
        <div>
          <dt>有表决权户数</dt>
          <dd>{v.eligibleHouseholds}</dd>
        </div>
        <div>
          <dt>须达到户数</dt>
          <dd>{v.quorumHouseholds}</dd>
        </div>
      </dl>
      <p class="hint">
        通过后列入{say(LIST_KIND, v.listKind)}清单，责任人 {v.ownerName}，{v.dueOn} 前完成。
      </p>
      {isResident() &&
        (v.myHouseholdVote ? (
          <p data-my-vote={v.myHouseholdVote}>
            您家已投：<b>{say(VOTE_CHOICE, v.myHouseholdVote)}</b>
          </p>
        ) : voting && !v.closed ? (
          <p>
            为您家投票：
            {choices(VOTE_CHOICE).map(([choice, words]) => (
              <button
                type="button"
                data-vote={choice}
                disabled={act.busy}
                onClick={() =>
                  act.run(() => request(CAST_VOTE, { proposalId: p.id, choice })).then((ok) => ok && done())
                }
              >
                {words}
              </button>
            ))}
          </p>
        ) : null)}
      {isClerk() &&
        voting &&
        (v.closed ? (
          <button
            type="button"
            class="primary"
            data-close-vote
            disabled={act.busy}
            onClick={() => act.run(() => request(CLOSE_VOTE, { proposalId: p.id })).then((ok) => ok && done())}
          >
            表决已截止，现在计票
          </button>
        ) : (
          <p class="hint">表决截止后可计票（系统也会在截止后自动计票）。</p>
        ))}
      <FormError error={act.error} />
    </section>
  );
}

function Comments({ p, done }: { p: Proposal; done: () => void }) {
  const [body, setBody] = useState('');
  const act = useAction();
  const open = p.status === 'OPEN' || p.status === 'VOTING';
  return (
    <section class="block" data-block="comments">
      <h2>
        讨论<small>{p.comments.length} 条</small>
      </h2>
      {p.comments.length ? (
        <ul class="cards" data-list="comments">
          {p.comments.map((c) => (
            <li>
              <span class="hint">
                {c.mine ? '我' : c.authorRole === 'resident' ? '居民' : say(ROLES, c.authorRole)} · {when(c.at)}
              </span>
              {c.body}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>还没有人发表意见。</Empty>
      )}
      {open && (
        <form
          class="form"
          data-form="comment"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await act.run(() => request(COMMENT_ON_PROPOSAL, { proposalId: p.id, body }))) {
              setBody('');
              done();
            }
          }}
        >
          <label>
            发表意见
            <textarea name="comment" rows={2} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          </label>
          <Submit act={act} label="发表" />
        </form>
      )}
    </section>
  );
}

/** 记录议事会: who attended (residents of the site), and the decision with the vote's terms or the reason. */
function CouncilMeetingForm({ p, done }: { p: Proposal; done: () => void }) {
  const [search, setSearch] = useState('');
  const [attendees, setAttendees] = useState<Set<string>>(new Set());
  const [heldOn, setHeldOn] = useState(today());
  const [decision, setDecision] = useState<CouncilDecision>('PUT_TO_VOTE');
  const [note, setNote] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [quorum, setQuorum] = useState('50');
  const [listKind, setListKind] = useState<ListKind>('PROPERTY');
  const [owner, setOwner] = useState('');
  const [dueOn, setDueOn] = useState('');
  const act = useAction();
  const [r, retry] = useQuery(COUNCIL_CANDIDATES, { siteId: p.site.id, search: search.trim() || undefined });
  const toggle = (rid: string) => {
    const next = new Set(attendees);
    if (!next.delete(rid)) next.add(rid);
    setAttendees(next);
  };
  const vote =
    decision === 'PUT_TO_VOTE'
      ? { closesAt: provinceInstant(closesAt), quorumPercent: Number(quorum), listKind, ownerName: owner, dueOn }
      : undefined;
  return (
    <form
      class="block form"
      data-form="council"
      onSubmit={async (e) => {
        e.preventDefault();
        const input = {
          proposalId: p.id,
          heldOn,
          attendeeResidentIds: [...attendees],
          decision,
          note: note || undefined,
          vote,
        };
        if (await act.run(() => request(RECORD_COUNCIL_MEETING, { input }))) done();
      }}
    >
      <h2>记录居民议事会</h2>
      <label>
        会议日期
        <input
          type="date"
          name="heldOn"
          value={heldOn}
          max={today()}
          onInput={(e) => setHeldOn(e.currentTarget.value)}
        />
      </label>
      <fieldset>
        <legend>
          出席居民（已选 <b data-count="attendees">{attendees.size}</b> 人）
        </legend>
        <input
          name="attendeeSearch"
          value={search}
          placeholder="按姓名查找"
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <Show result={r} retry={retry} what="居民">
          {({ residents }) => (
            <div class="checks" data-list="attendees">
              {residents.nodes.map((x) => (
                <label class="check">
                  <input
                    type="checkbox"
                    data-attendee={x.id}
                    checked={attendees.has(x.id)}
                    onChange={() => toggle(x.id)}
                  />
                  {x.name}（户号 {x.household.householdNumber}）
                </label>
              ))}
              {residents.totalCount > residents.nodes.length && <p class="hint">只列出前 50 人，请按姓名查找。</p>}
            </div>
          )}
        </Show>
      </fieldset>
      <label>
        决定
        <select
          name="decision"
          value={decision}
          onChange={(e) => setDecision(e.currentTarget.value as CouncilDecision)}
        >
          {Object.entries(COUNCIL_DECISION).map(([k, v]) => (
            <option value={k}>{v}</option>
          ))}
        </select>
      </label>
      {decision === 'PUT_TO_VOTE' ? (
        <div class="filters">
          <label>
            表决截止（北京时间）
            <input
              type="datetime-local"
              name="closesAt"
              value={closesAt}
              onInput={(e) => setClosesAt(e.currentTarget.value)}
            />
          </label>
          <label>
            须参与表决的户数比例（%）
            <input
              type="number"
              name="quorumPercent"
              min={1}
              max={100}
              value={quorum}
              onInput={(e) => setQuorum(e.currentTarget.value)}
            />
          </label>
          <label>
            通过后列入
            <select name="listKind" value={listKind} onChange={(e) => setListKind(e.currentTarget.value as ListKind)}>
              {Object.entries(LIST_KIND).map(([k, v]) => (
                <option value={k}>{v}清单</option>
              ))}
            </select>
          </label>
          <label>
            责任人或单位
            <input name="ownerName" value={owner} onInput={(e) => setOwner(e.currentTarget.value)} />
          </label>
          <label>
            完成期限
            <input type="date" name="dueOn" value={dueOn} onInput={(e) => setDueOn(e.currentTarget.value)} />
          </label>
        </div>
      ) : (
        <label>
          不予采纳的理由
          <textarea name="note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
      )}
      <Submit act={act} label="记录" />
    </form>
  );
}
