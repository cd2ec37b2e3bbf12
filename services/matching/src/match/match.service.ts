import type { EntityManager } from 'typeorm';
import { provinceDate } from '@anju/kit';
import { publishSelect } from '@anju/contracts';
import {
  MAX_DISTANCE_KM,
  assignBatch,
  explain,
  rankCandidates,
  type DemandSpec,
  type Explanation,
  type VolunteerSpec,
} from '../engine';

/** Anything that runs SQL: a DataSource or a transaction's EntityManager. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

const DAY = 86_400_000;
export const URGENCY_PRIORITY: Record<string, number> = { low: 1, normal: 1.25, high: 1.6, critical: 2 };

interface DemandForMatch {
  id: string;
  lat: number;
  lng: number;
  requiredSkills: string[];
  languages: string[];
  windowStart: string | null;
  windowEnd: string | null;
  hours: number;
  urgency: string;
  regionCode: string;
  status: string;
}

const DEMAND_FOR_MATCH = `d.id, s.latitude AS lat, s.longitude AS lng, d.required_skills AS "requiredSkills",
    d.languages,
  to_char(d.window_start, 'YYYY-MM-DD') AS "windowStart", to_char(d.window_end, 'YYYY-MM-DD') AS "windowEnd",
  d.hours::float8 AS hours, d.urgency, d.region_code AS "regionCode", d.status
  FROM demand d JOIN site_directory s ON s.site_id = d.site_id`;

/**
 * A demand's window in the province's time zone: its first day 00:00 to the day after its last; open ends run two
 * weeks.
 */
export function demandSpecOf(d: DemandForMatch, now: Date): DemandSpec {
  const start = d.windowStart ? Date.parse(`${d.windowStart}T00:00:00+08:00`) : now.getTime();
  const end = d.windowEnd
    ? Date.parse(`${d.windowEnd}T00:00:00+08:00`) + DAY
    : Math.max(start, now.getTime()) + 14 * DAY;
  return {
    id: d.id,
    location: { lat: d.lat, lng: d.lng },
    requiredSkills: d.requiredSkills,
    languages: d.languages,
    window: { start: Math.max(start, now.getTime()), end },
    hours: d.hours,
    priority: URGENCY_PRIORITY[d.urgency] ?? 1,
  };
}

/** Volunteers as the engine sees them: home site location, load of open assignments, future availability. */
export async function loadVolunteers(db: Sql, where: string, params: unknown[], now: Date): Promise<VolunteerSpec[]> {
  const n = params.length + 1;
  const rows: (Omit<VolunteerSpec, 'location' | 'availability'> & {
    lat: number;
    lng: number;
    availability: [number, number][];
  })[] = await db.query(
    `SELECT v.id, s.latitude AS lat, s.longitude AS lng, v.skills, v.languages,
              v.weekly_hours::float8 AS "capacityHours",
            COALESCE((SELECT sum(a.hours) FROM assignment a WHERE a.volunteer_id = v.id
              AND a.status IN ('proposed', 'accepted')), 0)::float8 AS "loadHours",
            v.completed, v.failed,
            COALESCE((SELECT json_agg(json_build_array(extract(epoch FROM w.starts_at) * 1000,
              extract(epoch FROM w.ends_at) * 1000))
                        FROM volunteer_availability w WHERE w.volunteer_id = v.id
                          AND w.ends_at > $${n}), '[]') AS availability
       FROM volunteer v JOIN site_directory s ON s.site_id = v.home_site_id
      WHERE ${where}`,
    [...params, now],
  );
  return rows.map((r) => ({
    id: r.id,
    location: { lat: r.lat, lng: r.lng },
    skills: r.skills,
    languages: r.languages,
    capacityHours: r.capacityHours,
    loadHours: r.loadHours,
    completed: r.completed,
    failed: r.failed,
    availability: r.availability.map(([start, end]) => ({ start: Number(start), end: Number(end) })),
  }));
}

/**
 * Volunteers who could be asked for a demand, narrowed in SQL before the engine scores them: every
 * language it needs, not having declined it, some availability inside its window, and a home
 * site within the service radius (a lat/lng box around the demand's site; the engine checks the
 * exact distance).
 */
async function volunteersFor(db: Sql, d: DemandForMatch, spec: DemandSpec, now: Date): Promise<VolunteerSpec[]> {
  const dLat = MAX_DISTANCE_KM / 111;
  const dLng = MAX_DISTANCE_KM / (111 * Math.cos((d.lat * Math.PI) / 180));
  return loadVolunteers(
    db,
    `v.languages @> $1::text[]
      AND NOT EXISTS (SELECT 1 FROM assignment x WHERE x.demand_id = $2 AND x.volunteer_id = v.id
        AND x.status = 'declined')
      AND EXISTS (SELECT 1 FROM volunteer_availability w WHERE w.volunteer_id = v.id AND w.ends_at > $3
        AND w.starts_at < $4)
      AND s.latitude BETWEEN $5 AND $6 AND s.longitude BETWEEN $7 AND $8`,
    [
      d.languages,
      d.id,
      new Date(spec.window.start),
      new Date(spec.window.end),
      d.lat - dLat,
      d.lat + dLat,
      d.lng - dLng,
      d.lng + dLng,
    ],
    now,
  );
}

async function demandForMatch(db: Sql, demandId: string): Promise<DemandForMatch | null> {
  const [d] = await db.query(`SELECT ${DEMAND_FOR_MATCH} WHERE d.id = $1`, [demandId]);
  return d ?? null;
}

/** Ranked candidates for one demand, with their explanations (eligible ones only). */
export async function candidatesFor(db: Sql, demandId: string, now: Date, limit: number): Promise<Explanation[]> {
  const d = await demandForMatch(db, demandId);
  if (!d) return [];
  const spec = demandSpecOf(d, now);
  return rankCandidates(spec, await volunteersFor(db, d, spec, now), limit);
}

/**
 * Writes proposed assignments and, in the same statement, announces each to governance
 * (`assignment.proposed`: the volunteer is told). A demand that has an active assignment already gets none.
 */
async function insertAssignments(
  db: EntityManager,
  rows: { demandId: string; volunteerId: string; hours: number; e: Explanation }[],
  source: 'incremental' | 'batch',
): Promise<number> {
  if (rows.length === 0) return 0;
  return publishSelect(
    db,
    'assignment.proposed',
    `SELECT i.id AS "assignmentId", i.demand_id AS "demandId", i.volunteer_id AS "volunteerId", d.site_id AS "siteId",
              d.category,
            i.hours::float8 AS hours, to_char(d.window_start, 'YYYY-MM-DD') AS "windowStart",
              to_char(d.window_end, 'YYYY-MM-DD') AS "windowEnd",
            to_char(i.proposed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "proposedAt"
       FROM inserted i JOIN demand d ON d.id = i.demand_id`,
    [
      rows.map((r) => r.demandId),
      rows.map((r) => r.volunteerId),
      rows.map((r) => r.hours),
      rows.map((r) => r.e.score),
      rows.map((r) => JSON.stringify(r.e)),
      source,
    ],
    {
      with: `input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::numeric[], $4::float8[], $5::jsonb[]) AS t(demand_id,
         volunteer_id, hours, score, explanation)),
     inserted AS (
       INSERT INTO assignment (demand_id, volunteer_id, hours, score, explanation, source)
       SELECT demand_id, volunteer_id, hours, score, explanation, $6 FROM input
       ON CONFLICT (demand_id) WHERE status IN ('proposed', 'accepted') DO NOTHING
       RETURNING id, demand_id, volunteer_id, hours, proposed_at)`,
    },
  );
}

/**
 * Incremental match, run in the transaction that records a demand (or after a decline): the best
 * eligible volunteer gets a proposed assignment at once. Returns the volunteer id, or null.
 */
export async function matchOne(db: EntityManager, demandId: string, now: Date): Promise<string | null> {
  const d = await demandForMatch(db, demandId);
  if (!d || !['open', 'claimed'].includes(d.status)) return null;
  const [active] = await db.query(
    `SELECT 1 FROM assignment WHERE demand_id = $1 AND status IN ('proposed', 'accepted')`,
    [demandId],
  );
  if (active) return null;
  const spec = demandSpecOf(d, now);
  const [best] = rankCandidates(spec, await volunteersFor(db, d, spec, now), 1);
  if (!best) return null;
  await insertAssignments(db, [{ demandId, volunteerId: best.volunteerId, hours: d.hours, e: best }], 'incremental');
  return best.volunteerId;
}

/**
 * Incremental match of many new demands at once (a batch of events raised them), with the outcome
 * of calling matchOne for each in this order: each demand, best first, gets the best eligible
 * volunteer, whose load then counts for the demands after it. The volunteers near any of the
 * demands are loaded once, and each demand's candidates are narrowed in memory as volunteersFor
 * narrows them in SQL (every language, no decline, availability in the window, the lat/lng box).
 * The assignments go in by one statement. Returns how many were proposed.
 */
export async function matchMany(db: EntityManager, demandIds: string[], now: Date): Promise<number> {
  if (!demandIds.length) return 0;
  const rows: DemandForMatch[] = await db.query(
    `SELECT ${DEMAND_FOR_MATCH} WHERE d.id = ANY($1::uuid[]) AND d.status IN ('open', 'claimed')
        AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.demand_id = d.id AND a.status IN ('proposed', 'accepted'))`,
    [demandIds],
  );
  const byId = new Map(rows.map((d) => [d.id, d]));
  const demands = demandIds.flatMap((id) => {
    const d = byId.get(id);
    if (!d) return [];
    byId.delete(id); // an id given twice is matched once, as a second matchOne would find its assignment
    const dLat = MAX_DISTANCE_KM / 111;
    const dLng = MAX_DISTANCE_KM / (111 * Math.cos((d.lat * Math.PI) / 180));
    return [
      {
        d,
        spec: demandSpecOf(d, now),
        box: { lat1: d.lat - dLat, lat2: d.lat + dLat, lng1: d.lng - dLng, lng2: d.lng + dLng },
      },
    ];
  });
  if (!demands.length) return 0;
  // Home sites inside any demand's box, found in memory (a site directory is a few thousand rows), then their
  // volunteers.
  const inBox = (lat: number, lng: number, b: (typeof demands)[number]['box']) =>
    lat >= b.lat1 && lat <= b.lat2 && lng >= b.lng1 && lng <= b.lng2;
  const sites: { id: string; lat: number; lng: number }[] = await db.query(
    `SELECT site_id AS id, latitude AS lat, longitude AS lng FROM site_directory`,
  );
  const near = sites.filter((s) => demands.some((x) => inBox(s.lat, s.lng, x.box))).map((s) => s.id);
  // Only volunteers with some availability inside the demands' windows can be eligible for any of them.
  const from = new Date(Math.min(...demands.map((x) => x.spec.window.start)));
  const to = new Date(Math.max(...demands.map((x) => x.spec.window.end)));
  const volunteers = await loadVolunteers(
    db,
    `v.home_site_id IN (SELECT unnest($1::uuid[]))
      AND EXISTS (SELECT 1 FROM volunteer_availability w WHERE w.volunteer_id = v.id AND w.ends_at > $2
        AND w.starts_at < $3)`,
    [near, from, to],
    now,
  );
  const declined = new Set(
    (
      (await db.query(
        `SELECT demand_id || '|' || volunteer_id AS k FROM assignment WHERE demand_id = ANY($1::uuid[])
           AND status = 'declined'`,
        [demands.map((x) => x.d.id)],
      )) as { k: string }[]
    ).map((r) => r.k),
  );
  const chosen: { demandId: string; volunteerId: string; hours: number; e: Explanation }[] = [];
  for (const { d, spec, box } of demands) {
    const candidates = volunteers.filter(
      (v) =>
        inBox(v.location.lat, v.location.lng, box) &&
        d.languages.every((l) => v.languages.includes(l)) &&
        !declined.has(`${d.id}|${v.id}`) &&
        v.availability.some((w) => w.end > spec.window.start && w.start < spec.window.end),
    );
    const [best] = rankCandidates(spec, candidates, 1);
    if (!best) continue;
    chosen.push({ demandId: d.id, volunteerId: best.volunteerId, hours: d.hours, e: best });
    const v = candidates.find((c) => c.id === best.volunteerId)!;
    v.loadHours += d.hours; // the proposed assignment counts in the volunteer's load for the next demand
  }
  return insertAssignments(db, chosen, 'incremental');
}

export interface BatchRunResult {
  demands: number;
  volunteers: number;
  assigned: number;
  totalScore: number;
  ms: number;
}

/**
 * The nightly batch: every open or claimed demand without an active assignment whose window has
 * not passed, against every volunteer with future availability, solved together by the engine
 * (min-cost flow on the top-K candidate graph).
 */
export async function runBatch(db: EntityManager, now: Date): Promise<BatchRunResult> {
  const started = Date.now();
  const rows: DemandForMatch[] = await db.query(
    `SELECT ${DEMAND_FOR_MATCH}
      WHERE d.status IN ('open', 'claimed') AND (d.window_end IS NULL OR d.window_end >= $1::date)
        AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.demand_id = d.id AND a.status IN ('proposed', 'accepted'))`,
    [provinceDate(now)],
  );
  const demands = rows.map((d) => demandSpecOf(d, now));
  const volunteers = await loadVolunteers(
    db,
    `EXISTS (SELECT 1 FROM volunteer_availability w WHERE w.volunteer_id = v.id AND w.ends_at > $1)`,
    [now],
    now,
  );
  const declined: { demandId: string; volunteerId: string }[] = await db.query(
    `SELECT demand_id AS "demandId", volunteer_id AS "volunteerId" FROM assignment WHERE status = 'declined'`,
  );
  // Declined pairs are left out of the solve (not dropped after it), so that their hours go to other demands.
  const refused = new Set(declined.map((x) => `${x.demandId}|${x.volunteerId}`));
  const result = assignBatch(demands, volunteers, { refused });
  const byD = new Map(demands.map((d) => [d.id, d]));
  const byV = new Map(volunteers.map((v) => [v.id, v]));
  const chosen = result.assignments.map((a) => ({
    demandId: a.demandId,
    volunteerId: a.volunteerId,
    hours: a.hours,
    e: explain(byD.get(a.demandId)!, byV.get(a.volunteerId)!),
  }));
  const assigned = await insertAssignments(db, chosen, 'batch');
  return {
    demands: demands.length,
    volunteers: volunteers.length,
    assigned,
    totalScore: result.totalScore,
    ms: Date.now() - started,
  };
}
