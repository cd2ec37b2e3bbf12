import { useState } from 'preact/hooks';
import { ApiError, request, session, useQuery } from '../api';
import {
  COMPLETE_GRID_TASK,
  GRID_HOUSEHOLDS,
  GRID_OF,
  GRID_WORKER_TODAY,
  type GridOfQuery,
} from '../generated/operations';
import { ISSUE_LEVEL, RULES_SHORT, say } from '../labels';
import { today, when } from '../dates';
import { Empty, ErrorBox, Show } from '../ui/states';
import { useCursor } from '../ui/table';

/** A grid worker's day on a phone (网格员): tasks, what is overdue, the households of the grid. */
export function GridWorkerPage() {
  const [r, retry] = useQuery(GRID_WORKER_TODAY);
  const s = session.get();
  const gridId = s?.scope.grids?.[0];
  const d = today();
  return (
    <div class="phone">
      <h1>
        今天<small>{d}</small>
      </h1>
      <Show result={r} retry={retry} what="今日任务">
        {(t) => {
          const overdueTasks = t.gridTasks.nodes.filter((x) => x.dueOn && x.dueOn < d);
          return (
            <>
              <section class="block">
                <h2>
                  待办任务
                  <small>
                    {t.gridTasks.totalCount} 项{overdueTasks.length ? `，逾期 ${overdueTasks.length} 项` : ''}
                  </small>
                </h2>
                {t.gridTasks.nodes.length ? (
                  <ul class="cards" data-list="tasks">
                    {t.gridTasks.nodes.map((x) => (
                      <li class={x.dueOn && x.dueOn < d ? 'overdue' : ''}>
                        <b>{x.title}</b>
                        <span>
                          {x.household ? (
                            <a href={`#/household/${x.household.id}`}>户号 {x.household.householdNumber}</a>
                          ) : (
                            x.grid?.name
                          )}
                        </span>
                        <span>{x.household?.address ?? ''}</span>
                        <span>期限：{x.dueOn ?? '未定'}</span>
                        <Complete taskId={x.id} done={retry} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>今天没有待办任务。</Empty>
                )}
              </section>
              <section class="block">
                <h2>逾期事项</h2>
                {t.myListItems.nodes.length + t.overdueIssues.nodes.length ? (
                  <ul class="cards" data-list="overdue">
                    {t.myListItems.nodes.map((x) => (
                      <li class="overdue">
                        <b>{x.title}</b>
                        <span>清单事项，期限 {x.dueOn}</span>
                      </li>
                    ))}
                    {t.overdueIssues.nodes.map((x) => (
                      <li class="overdue">
                        <b>{x.title}</b>
                        <span>
                          {say(ISSUE_LEVEL, x.level)}处理，期限 {when(x.levelDueAt)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>没有逾期事项。</Empty>
                )}
              </section>
            </>
          );
        }}
      </Show>
      {gridId ? <GridHouseholds gridId={gridId} /> : <Empty>您的账号没有指定网格。</Empty>}
    </div>
  );
}

function GridHouseholds({ gridId }: { gridId: string }) {
  const [g, retryGrid] = useQuery(GRID_OF, { id: gridId });
  return (
    <Show result={g} retry={retryGrid} what="网格">
      {({ grid }) => (grid ? <HouseholdList grid={grid} /> : <Empty>找不到您的网格。</Empty>)}
    </Show>
  );
}

function HouseholdList({ grid }: { grid: NonNullable<GridOfQuery['grid']> }) {
  const cursor = useCursor(20);
  const [r, retry] = useQuery(GRID_HOUSEHOLDS, { siteId: grid.site.id, gridId: grid.id, after: cursor.after });
  return (
    <section class="block">
      <h2>
        {grid.site.name} {grid.name}的住户
      </h2>
      <Show result={r} retry={retry} what="住户">
        {({ households }) => (
          <>
            {households.nodes.length ? (
              <ul class="cards" data-list="households">
                {households.nodes.map((h) => (
                  <li class={h.incomeStability && !h.incomeStability.passing ? 'overdue' : ''}>
                    <a href={`#/household/${h.id}`}>
                      <b>户号 {h.householdNumber}</b>
                    </a>
                    <span>{h.address ?? ''}</span>
                    <span>
                      {!h.incomeStability
                        ? '尚未监测'
                        : h.incomeStability.passing
                          ? '收入稳定达标'
                          : `未达标：${h.incomeStability.failedRules.map((x) => RULES_SHORT[x] ?? x).join('、')}`}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>这个网格还没有住户。</Empty>
            )}
            {cursor.pager(households)}
          </>
        )}
      </Show>
    </section>
  );
}

/** Marks a task done with a note of what was done (完成任务); the note's error is shown beside it. */
function Complete({ taskId, done }: { taskId: string; done: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!open)
    return (
      <button type="button" class="link" data-complete={taskId} onClick={() => setOpen(true)}>
        完成任务
      </button>
    );
  return (
    <form
      class="complete"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await request(COMPLETE_GRID_TASK, { id: taskId, note });
          done();
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError(String(err)));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        做了什么
        <textarea
          name="note"
          rows={2}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          placeholder="例如：已上门了解，登记参加下月技能培训"
        />
      </label>
      {error?.forField('note') ? (
        <span class="field-error" data-field-error="note">
          {error.forField('note')}
        </span>
      ) : (
        error && <ErrorBox error={error} />
      )}
      <button type="submit" disabled={busy}>
        {busy ? '正在提交…' : '提交'}
      </button>
    </form>
  );
}
