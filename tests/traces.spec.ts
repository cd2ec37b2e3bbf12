import { EVENTS } from '@anju/contracts';
import { TestSystem, dataOf, nationalId, recordTraces, residentInput } from '@anju/testing';
import { seedNeighbourhood, type Neighbourhood } from '../services/governance/test/helpers';

type ReadableSpan = ReturnType<ReturnType<typeof recordTraces>['spans']>[number];

/**
 * Traces (issue 18): a mutation through the gateway and every effect of its events are one
 * trace — gateway → subgraph → outbox row (its `traceparent`) → relay → each consumer's job →
 * the handler's span, a child of the publish. Spans are kept in memory by an exporter installed
 * before the system starts; every process of the system runs in this one.
 */
describe('one trace from a mutation to the effects of its events', () => {
  let traces: ReturnType<typeof recordTraces>;
  let sys: TestSystem;
  let n: Neighbourhood;
  let seq = 900;
  const consumers = EVENTS['resident.registered'].consumers;

  beforeAll(async () => {
    traces = recordTraces();
    sys = await TestSystem.start({ label: 'traces' });
    n = await seedNeighbourhood(sys);
    await sys.waitForIdle();
    // a whole system and its seed: minutes when the run must first build the migrated template on a loaded machine
  }, 240_000);
  afterAll(async () => {
    await sys?.stop();
    await traces?.stop();
  });

  /**
   * A household of its own with one resident, registered through the gateway by the site officer in a named operation.
   */
  const registerResident = async (): Promise<string> => {
    seq += 1;
    const householdId = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: n.siteId, householdNumber: `T-${seq}`, buildingId: n.buildingIds[0] } },
        n.officer,
      ),
    ).registerHousehold.id as string;
    return dataOf(
      await sys.query(
        `mutation RegisterResident($i: RegisterResidentInput!) { registerResident(input: $i) { id } }`,
        {
          i: residentInput(householdId, seq, {
            nationalId: nationalId('530102', '19900101', seq),
            relationToHead: 'HEAD',
          }),
        },
        n.officer,
      ),
    ).registerResident.id as string;
  };

  /** The traceparent the resident's `resident.registered` row kept. */
  const traceparentOf = async (residentId: string): Promise<string> => {
    const rows = await sys.sql(
      `SELECT traceparent FROM governance.outbox WHERE event = 'resident.registered' AND payload->>'residentId' = $1`,
      [residentId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    return rows[0].traceparent;
  };

  const scope = (s: ReadableSpan) => s.instrumentationLibrary.name;
  const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));
  /** The span's ancestors up to the trace's root, nearest first. */
  const ancestors = (span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] => {
    const index = byId(spans);
    const out: ReadableSpan[] = [];
    for (let p = span.parentSpanId && index.get(span.parentSpanId); p; p = p.parentSpanId && index.get(p.parentSpanId))
      out.push(p);
    return out;
  };

  it("the mutation, its publish and each consumer's handler span are one trace, linked via each job", async () => {
    const residentId = await registerResident();
    await sys.waitForIdle();
    const traceparent = await traceparentOf(residentId);
    const [, traceId, publishSpanId] = traceparent.split('-');
    const trace = traces.spans().filter((s) => s.spanContext().traceId === traceId);

    // The gateway's server span is the root: the portal sent no traceparent.
    const root = trace.find((s) => scope(s) === 'anju.gateway');
    expect(root?.name).toBe('mutation RegisterResident');
    expect(root?.parentSpanId).toBeUndefined();
    // The publish: under governance's server span (named by the gateway's query plan), under the gateway's fetch.
    const publish = byId(trace).get(publishSpanId)!;
    expect(publish.name).toBe('resident.registered publish');
    expect(ancestors(publish, trace).map((s) => `${scope(s)}: ${s.name}`)).toEqual([
      'anju.governance-api: mutation RegisterResident__governance__0',
      'apollo/gateway-js: gateway.fetch',
      'apollo/gateway-js: gateway.execute',
      'apollo/gateway-js: gateway.request',
      'anju.gateway: mutation RegisterResident',
    ]);

    // Each consumer's handler span is a child of the publish, and links to the job that carried the event.
    expect(consumers.length).toBeGreaterThan(0);
    const jobs = traces
      .spans()
      .filter((s) => s.name.endsWith(' events') && s.links.some((l) => l.context.spanId === publishSpanId));
    for (const consumer of consumers) {
      const handle = trace.find(
        (s) => scope(s) === `anju.${consumer}-worker` && s.name === 'resident.registered handle',
      );
      expect(handle?.parentSpanId).toBe(publishSpanId);
      const job = jobs.find((s) => s.name === `${consumer} events`);
      expect(job).toBeDefined();
      // The job serves many traces: a root of its own, linked to each event's publish.
      expect(job!.parentSpanId).toBeUndefined();
      expect(handle!.links.map((l) => l.context.spanId)).toEqual([job!.spanContext().spanId]);
      expect(handle!.attributes['messaging.batch.message_count']).toBe(1);
    }
    // …and the effect is there in each consumer: the inbox holds the event the span is about.
    const [{ id: eventId }] = await sys.sql(`SELECT id FROM governance.outbox WHERE traceparent = $1`, [traceparent]);
    for (const consumer of consumers) {
      expect(
        await sys.sql(`SELECT 1 FROM ${consumer.replace('-', '_')}.inbox WHERE event_id = $1`, [eventId]),
      ).toHaveLength(1);
    }
    // The relay's round links to the publish too.
    expect(
      traces.spans().some((s) => s.name === 'outbox send' && s.links.some((l) => l.context.spanId === publishSpanId)),
    ).toBe(true);
  });

  it('a batch of events from two traces: one job span linked to both, a handler span in each trace', async () => {
    // With governance's relay stopped, the two events wait in the outbox and leave in one round.
    await sys.stopComponent('governance-worker');
    const first = await traceparentOf(await registerResident());
    const second = await traceparentOf(await registerResident());
    await sys.startWorker('governance');
    await sys.waitForIdle();

    for (const consumer of consumers) {
      const job = traces
        .spans()
        .find(
          (s) =>
            s.name === `${consumer} events` &&
            [first, second].every((tp) => s.links.some((l) => l.context.spanId === tp.split('-')[2])),
        );
      expect(job).toBeDefined();
      for (const tp of [first, second]) {
        const [, traceId, publishSpanId] = tp.split('-');
        const handles = traces
          .spans()
          .filter((s) => s.spanContext().traceId === traceId && scope(s) === `anju.${consumer}-worker`);
        expect(handles.map((s) => [s.name, s.parentSpanId, s.links.map((l) => l.context.spanId)])).toEqual([
          ['resident.registered handle', publishSpanId, [job!.spanContext().spanId]],
        ]);
      }
    }
  });
});
