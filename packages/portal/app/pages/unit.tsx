import { useState } from 'preact/hooks';
import { ApiError, request, useQuery } from '../api';
import {
  CLAIM_DEMAND,
  FULFIL_DEMAND,
  UNIT_DEMANDS,
  type DemandStatus,
  type UnitDemandsQuery,
} from '../generated/operations';
import { DEMAND_CATEGORY, DEMAND_STATUS, URGENCY, say } from '../labels';
import { today } from '../dates';
import { DataTable, useCursor } from '../ui/table';
import { ErrorBox, Show } from '../ui/states';
import { ClaimsBoard } from './site';

type Demand = UnitDemandsQuery['demands']['nodes'][number];

/** A regional unit's page (区域单位): the demands in its regions, claim (认领) and close them; the public board. */
export function UnitPage() {
  const [status, setStatus] = useState<DemandStatus>('OPEN');
  const cursor = useCursor(20);
  const [r, retry] = useQuery(UNIT_DEMANDS, { status, after: cursor.after });
  return (
    <Show result={r} retry={retry} what="需求清单">
      {(d) => (
        <>
          <h1>
            {d.units[0]?.name ?? '本单位'}
            <small>需求清单与认领</small>
          </h1>
          <label class="inline">
            状态
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as DemandStatus);
                cursor.reset();
              }}
            >
              {(['OPEN', 'CLAIMED', 'IN_PROGRESS', 'FULFILLED'] as const).map((s) => (
                <option value={s}>{DEMAND_STATUS[s]}</option>
              ))}
            </select>
          </label>
          <DataTable
            name="unit-demands"
            exportName="需求清单"
            rows={d.demands.nodes}
            empty="没有这个状态的需求。"
            columns={[
              { label: '类别', value: (x) => say(DEMAND_CATEGORY, x.category) },
              { label: '内容', value: (x) => x.description },
              { label: '紧急程度', value: (x) => say(URGENCY, x.urgency) },
              { label: '承诺日期', value: (x) => x.promisedOn },
              {
                label: '办理',
                value: (x) => say(DEMAND_STATUS, x.status),
                render: (x) => <Act demand={x} done={retry} />,
              },
            ]}
          />
          {cursor.pager(d.demands)}
          {d.demands.nodes[0] && <ClaimsBoard siteId={d.demands.nodes[0].site.id} />}
        </>
      )}
    </Show>
  );
}

/** Claim with a promised date, or mark a claimed demand done; typed errors shown beside the field. */
function Act({ demand, done }: { demand: Demand; done: () => void }) {
  const [promisedOn, setPromisedOn] = useState(today());
  const [error, setError] = useState<ApiError | null>(null);
  const run = (call: Promise<unknown>) =>
    call.then(done, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(String(e))));
  if (demand.status === 'OPEN') {
    return (
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          run(request(CLAIM_DEMAND, { demandId: demand.id, promisedOn }));
        }}
      >
        <label>
          承诺完成日期
          <input
            type="date"
            name="promisedOn"
            value={promisedOn}
            onInput={(e) => setPromisedOn(e.currentTarget.value)}
          />
        </label>
        {error?.forField('promisedOn') && (
          <span class="field-error" data-field-error="promisedOn">
            {error.forField('promisedOn')}
          </span>
        )}
        {error && !error.forField('promisedOn') && <ErrorBox error={error} />}
        <button type="submit">认领</button>
      </form>
    );
  }
  if (demand.status === 'CLAIMED' || demand.status === 'IN_PROGRESS') {
    return (
      <span>
        {say(DEMAND_STATUS, demand.status)}
        {demand.overdue ? '（逾期）' : ''}
        <button type="button" onClick={() => run(request(FULFIL_DEMAND, { demandId: demand.id }))}>
          标记完成
        </button>
        {error && <ErrorBox error={error} />}
      </span>
    );
  }
  return <span>{say(DEMAND_STATUS, demand.status)}</span>;
}
