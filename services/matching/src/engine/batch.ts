import { DISTANCE_SCALE_KM, MAX_DISTANCE_KM, WEIGHTS } from './score';
import type { Assignment, BatchResult, DemandSpec, VolunteerSpec } from './types';

/**
 * Batch assignment of many demands to many volunteers: maximise Σ priority × score subject to
 * every volunteer's remaining weekly hours, each demand going to at most one volunteer, and the
 * hard constraints (language, availability, capacity) on every pair.
 *
 * 1. A sparse candidate graph: for each demand, the volunteers of nearby cells of a lat/lng grid
 *    (rings widen until enough are eligible) are checked against the hard constraints and scored;
 *    the top K are kept (arcs).
 * 2. Min-cost flow by successive shortest paths (the Hungarian method, one demand at a time):
 *    each demand is a unit of supply with an arc to every candidate (cost −priority×score) and a
 *    dummy arc "stay unassigned" (cost 0); volunteers drain to the sink within their hours.
 *    Dijkstra on reduced costs (Johnson potentials) finds the cheapest augmenting path — which
 *    may move already-assigned demands to other volunteers — and stops as soon as the sink is
 *    settled. When every demand needs the same hours this is exact on the candidate graph (a
 *    min-cost flow); with mixed hours a volunteer's arcs are checked against the hours of the
 *    demand entering it, so every path is feasible but optimality is no longer guaranteed (the
 *    benchmark measures the gap against an exact solver).
 */
export interface BatchOptions {
  /** Candidates kept per demand (default 10). */
  k?: number;
  /**
   * Demands kept per volunteer among the pairs scored (default 5): when many demands compete for
   * few volunteers, each volunteer's best demands stay in the graph even if they are not in
   * those demands' own top K.
   */
  kVolunteer?: number;
  /** 'grid' (default) searches nearby cells; 'all' scores every pair (small instances, exact). */
  candidates?: 'grid' | 'all';
  /** Grid cell size in degrees (default 0.2, about 20 km). */
  cellDeg?: number;
  /** Rings of cells searched at most (default: enough to cover MAX_DISTANCE_KM). */
  maxRing?: number;
  /**
   * Pairs never to make, as `${demandId}|${volunteerId}`: a volunteer who declined a demand is not
   * asked again, and the hours they keep go to demands they have not declined.
   */
  refused?: ReadonlySet<string>;
}

const EPS = 1e-9;
// Read once: the weights are module exports (a getter per access through CommonJS interop).
const W_SKILLS = WEIGHTS.skills;
const W_LANGUAGES = WEIGHTS.languages;
const W_DISTANCE = WEIGHTS.distance;
const W_AVAILABILITY = WEIGHTS.availability;
const W_LOAD = WEIGHTS.load;
const W_RELIABILITY = WEIGHTS.reliability;
const SCALE_KM = DISTANCE_SCALE_KM;
const RAD = Math.PI / 180;
let scoreCalls = 0;
/** How many pairs the last candidate search scored (for the benchmark). */
export const lastScoreCalls = () => scoreCalls;
const HOUR = 3_600_000;
const norm = (s: string) => s.trim().toLowerCase();

interface PreparedVolunteer {
  skills: Set<string>;
  languages: Set<string>;
  remaining: number;
  loadValue: number;
  reliability: number;
  lat: number;
  lng: number;
  latRad: number;
  lngRad: number;
  cosLat: number;
  /** Availability as [start, end, start, end, …] in ms. */
  windows: Float64Array;
}

function prepare(v: VolunteerSpec): PreparedVolunteer {
  const remaining = Math.max(0, v.capacityHours - v.loadHours);
  return {
    skills: new Set(v.skills.map(norm)),
    languages: new Set(v.languages.map(norm)),
    remaining,
    loadValue: v.capacityHours > 0 ? remaining / v.capacityHours : 0,
    reliability: (v.completed + 1) / (v.completed + v.failed + 2),
    lat: v.location.lat,
    lng: v.location.lng,
    latRad: v.location.lat * RAD,
    lngRad: v.location.lng * RAD,
    cosLat: Math.cos(v.location.lat * RAD),
    windows: Float64Array.from(v.availability.flatMap((w) => [w.start, w.end])),
  };
}

/** The same number as `explain(d, v).score` (a property test holds them equal), without the words. */
function fastScore(d: DemandSpec, skills: string[], langs: string[], p: PreparedVolunteer): number | null {
  scoreCalls++;
  const hours = d.hours;
  if (p.remaining + EPS < hours) return null;
  for (let i = 0; i < langs.length; i++) if (!p.languages.has(langs[i])) return null;
  const ws = d.window.start;
  const we = d.window.end;
  const w = p.windows;
  let overlapMs = 0;
  for (let i = 0; i < w.length; i += 2) {
    const s = w[i] > ws ? w[i] : ws;
    const e = w[i + 1] < we ? w[i + 1] : we;
    if (e > s) overlapMs += e - s;
  }
  const overlap = overlapMs / HOUR;
  if (overlap + EPS < hours) return null;
  // Haversine, as distanceKm, with the volunteer's side precomputed.
  const dLat = (p.latRad - d.location.lat * RAD) / 2;
  const dLng = (p.lngRad - d.location.lng * RAD) / 2;
  const sLat = Math.sin(dLat);
  const sLng = Math.sin(dLng);
  const h = sLat * sLat + Math.cos(d.location.lat * RAD) * p.cosLat * sLng * sLng;
  const km = 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  if (km > MAX_DISTANCE_KM) return null;
  let matched = 0;
  for (let i = 0; i < skills.length; i++) if (p.skills.has(skills[i])) matched++;
  return (
    W_SKILLS * (skills.length ? matched / skills.length : 1) +
    W_LANGUAGES * 1 +
    W_DISTANCE * Math.exp(-km / SCALE_KM) +
    W_AVAILABILITY * (hours > 0 ? Math.min(1, overlap / (2 * hours)) : 1) +
    W_LOAD * p.loadValue +
    W_RELIABILITY * p.reliability
  );
}

/** Candidate arcs in compressed rows: demand i's arcs are start[i] … start[i+1]-1. */
export interface CandidateGraph {
  start: Int32Array;
  volunteer: Int32Array;
  /** The pair's score in [0, 1]. */
  score: Float64Array;
}

/** A bounded top-K list: keeps the K best (score, index) pairs seen. */
class TopK {
  scores: number[] = [];
  idx: number[] = [];
  constructor(private readonly k: number) {}
  offer(score: number, i: number): void {
    const n = this.scores.length;
    if (n === this.k && (score < this.scores[n - 1] || (score === this.scores[n - 1] && i > this.idx[n - 1]))) return;
    let pos = n === this.k ? n - 1 : n;
    while (pos > 0 && (this.scores[pos - 1] < score || (this.scores[pos - 1] === score && this.idx[pos - 1] > i))) {
      if (pos < this.k) {
        this.scores[pos] = this.scores[pos - 1];
        this.idx[pos] = this.idx[pos - 1];
      }
      pos--;
    }
    this.scores[pos] = score;
    this.idx[pos] = i;
    if (this.scores.length > this.k) {
      this.scores.length = this.k;
      this.idx.length = this.k;
    }
  }
}

export function buildCandidates(
  demands: readonly DemandSpec[],
  volunteers: readonly VolunteerSpec[],
  opts: BatchOptions = {},
): CandidateGraph {
  const k = opts.k ?? 10;
  const prepared = volunteers.map(prepare);
  scoreCalls = 0;
  const kv = opts.kVolunteer ?? 5;
  const byVolunteer: (TopK | undefined)[] = new Array(volunteers.length);
  const offerVolunteer = (j: number, s: number, i: number) => {
    if (kv > 0) (byVolunteer[j] ??= new TopK(kv)).offer(s, i);
  };
  const lists: TopK[] = [];
  const demandSkills = demands.map((d) => d.requiredSkills.map(norm));
  const demandLangs = demands.map((d) => d.languages.map(norm));
  const refused = opts.refused?.size ? opts.refused : null;
  /** The pair's score, or null when a hard constraint or a refusal rules it out. */
  const pairScore = (i: number, j: number) =>
    refused?.has(`${demands[i].id}|${volunteers[j].id}`)
      ? null
      : fastScore(demands[i], demandSkills[i], demandLangs[i], prepared[j]);
  if ((opts.candidates ?? 'grid') === 'all') {
    demands.forEach((d, i) => {
      const top = new TopK(k);
      volunteers.forEach((v, j) => {
        const s = pairScore(i, j);
        if (s !== null) {
          top.offer(s, j);
          offerVolunteer(j, s, i);
        }
      });
      lists.push(top);
    });
  } else {
    const cell = opts.cellDeg ?? 0.2;
    // A degree of latitude is 111 km; of longitude, 111·cos(lat) km (≥ 98 km across Yunnan, 21–29°N).
    const maxRing = opts.maxRing ?? Math.ceil(MAX_DISTANCE_KM / (cell * 95)) + 1;
    // Numeric cell keys; one grid of everybody and one per language (a demand needing a language
    // only ever looks at speakers of it).
    const key = (x: number, y: number) => (x + 2_000) * 10_000 + (y + 2_000);
    const all = new Map<number, number[]>();
    const byLanguage = new Map<string, Map<number, number[]>>();
    const put = (grid: Map<number, number[]>, k: number, j: number) => {
      const list = grid.get(k);
      if (list) list.push(j);
      else grid.set(k, [j]);
    };
    prepared.forEach((p, j) => {
      const k = key(Math.floor(p.lat / cell), Math.floor(p.lng / cell));
      put(all, k, j);
      for (const l of p.languages) {
        let g = byLanguage.get(l);
        if (!g) byLanguage.set(l, (g = new Map()));
        put(g, k, j);
      }
    });
    demands.forEach((d, i) => {
      const top = new TopK(k);
      const grid = demandLangs[i].length ? byLanguage.get(demandLangs[i][0]) : all;
      if (!grid) {
        lists.push(top);
        return;
      }
      const cx = Math.floor(d.location.lat / cell);
      const cy = Math.floor(d.location.lng / cell);
      let eligible = 0;
      for (let r = 0; r <= maxRing; r++) {
        for (let x = cx - r; x <= cx + r; x++) {
          const edge = x === cx - r || x === cx + r;
          for (let y = cy - r; y <= cy + r; y += edge ? 1 : 2 * r) {
            const members = grid.get(key(x, y));
            if (members) {
              for (const j of members) {
                const s = pairScore(i, j);
                if (s !== null) {
                  eligible++;
                  top.offer(s, j);
                  offerVolunteer(j, s, i);
                }
              }
            }
            if (r === 0) break;
          }
        }
        // Past ring 1, a volunteer further out loses on distance: stop once the list is well filled.
        if (r >= 1 && eligible >= 3 * k) break;
      }
      lists.push(top);
    });
  }
  // The union of each demand's top K and each volunteer's top demands.
  const extraV: number[][] = demands.map(() => []);
  const extraS: number[][] = demands.map(() => []);
  byVolunteer.forEach((t, j) => {
    if (!t) return;
    t.idx.forEach((i, n) => {
      if (lists[i].idx.includes(j)) return;
      extraV[i].push(j);
      extraS[i].push(t.scores[n]);
    });
  });
  const start = new Int32Array(demands.length + 1);
  lists.forEach((t, i) => (start[i + 1] = start[i] + t.idx.length + extraV[i].length));
  const volunteer = new Int32Array(start[demands.length]);
  const score = new Float64Array(start[demands.length]);
  lists.forEach((t, i) => {
    volunteer.set(t.idx, start[i]);
    score.set(t.scores, start[i]);
    volunteer.set(extraV[i], start[i] + t.idx.length);
    score.set(extraS[i], start[i] + t.idx.length);
  });
  return { start, volunteer, score };
}

/** A binary min-heap of (key, node) with lazy deletion. */
class Heap {
  private keys = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  size = 0;
  clear(): void {
    this.size = 0;
  }
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const n = new Int32Array(this.size * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[i] = this.keys[parent];
      this.nodes[i] = this.nodes[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }
  /** Pops the minimum; returns its node and leaves its key in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const node = this.nodes[0];
    this.lastKey = this.keys[0];
    const key = this.keys[--this.size];
    const last = this.nodes[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.keys[c + 1] < this.keys[c]) c++;
      if (this.keys[c] >= key) break;
      this.keys[i] = this.keys[c];
      this.nodes[i] = this.nodes[c];
      i = c;
    }
    this.keys[i] = key;
    this.nodes[i] = last;
    return node;
  }
}

/**
 * Successive shortest paths on the candidate graph. `weight` is priority × score per arc,
 * `hours` per demand, `free` the remaining hours per volunteer. Returns, per demand, the arc it
 * is assigned through, or −1.
 */
export function solveFlow(
  graph: CandidateGraph,
  weight: Float64Array,
  hours: Float64Array,
  free0: Float64Array,
  order?: readonly number[],
): Int32Array {
  const D = hours.length;
  const V = free0.length;
  const T = D + V;
  const N = T + 1;
  const free = Float64Array.from(free0);
  const pot = new Float64Array(N);
  const dist = new Float64Array(N);
  const seen = new Int32Array(N);
  const done = new Int32Array(N);
  const pred = new Int32Array(N);
  const predArc = new Int32Array(N);
  const assignArc = new Int32Array(D).fill(-1);
  const holding: (number[] | undefined)[] = new Array(V);
  const heap = new Heap();
  const settled: number[] = [];
  let stamp = 0;

  const relax = (to: number, d: number, from: number, arc: number) => {
    if (done[to] === stamp) return;
    if (seen[to] !== stamp || d < dist[to]) {
      seen[to] = stamp;
      dist[to] = d;
      pred[to] = from;
      predArc[to] = arc;
      heap.push(d, to);
    }
  };

  const sequence = order ?? Array.from({ length: D }, (_, i) => i);
  for (const src of sequence) {
    const a0 = graph.start[src];
    const a1 = graph.start[src + 1];
    if (a0 === a1) continue;
    // A new source: a potential that makes its arcs' reduced costs non-negative.
    let p = pot[T];
    for (let a = a0; a < a1; a++) p = Math.max(p, pot[D + graph.volunteer[a]] + weight[a]);
    pot[src] = p;

    stamp++;
    heap.clear();
    settled.length = 0;
    seen[src] = stamp;
    dist[src] = 0;
    pred[src] = -1;
    heap.push(0, src);
    while (heap.size > 0) {
      const u = heap.pop();
      const du = heap.lastKey;
      if (done[u] === stamp || du > dist[u]) continue;
      done[u] = stamp;
      settled.push(u);
      if (u === T) break;
      if (u < D) {
        const cur = assignArc[u] >= 0 ? graph.volunteer[assignArc[u]] : -1;
        for (let a = graph.start[u]; a < graph.start[u + 1]; a++) {
          const j = graph.volunteer[a];
          if (j === cur) continue;
          // With mixed hours, a volunteer entered by u must be able to take u (now, or by letting one
          // of its demands go): a label that leads nowhere would hide a feasible entry by another demand.
          if (free[j] + EPS < hours[u]) {
            let room = false;
            const held = holding[j];
            if (held) for (const x of held) if (free[j] + hours[x] + EPS >= hours[u]) room = true;
            if (!room) continue;
          }
          relax(D + j, du + Math.max(0, -weight[a] + pot[u] - pot[D + j]), u, a);
        }
        relax(T, du + Math.max(0, pot[u] - pot[T]), u, -1); // stay unassigned
      } else {
        const j = u - D;
        const h = hours[pred[u]];
        if (free[j] + EPS >= h) relax(T, du + Math.max(0, pot[u] - pot[T]), u, -1);
        const held = holding[j];
        if (held) {
          for (const x of held) {
            if (free[j] + hours[x] + EPS >= h)
              relax(x, du + Math.max(0, weight[assignArc[x]] + pot[u] - pot[x]), u, -1);
          }
        }
      }
    }
    const dT = dist[T];
    for (const x of settled) pot[x] += dist[x] - dT;

    // Augment along the path, from the sink back to the source.
    let node = T;
    while (node !== src) {
      const from = pred[node];
      if (node === T) {
        if (from < D) assignArc[from] = -1;
      } else if (node >= D) {
        // from (a demand) moves to volunteer node−D
        const j = node - D;
        assignArc[from] = predArc[node];
        (holding[j] ??= []).push(from);
        free[j] -= hours[from];
      } else {
        // node (a demand) leaves volunteer from−D
        const j = from - D;
        const held = holding[j]!;
        const at = held.indexOf(node);
        held[at] = held[held.length - 1];
        held.pop();
        free[j] += hours[node];
      }
      node = from;
    }
  }
  return assignArc;
}

/**
 * A local search after the flow, for mixed hours: a demand (assigned or not) moves to another
 * candidate, making room there if needed by moving one of its demands to a third volunteer with
 * room (or leaving it out), whenever the total grows. Every move keeps every capacity; it stops
 * when no move gains.
 */
export function improve(
  graph: CandidateGraph,
  weight: Float64Array,
  hours: Float64Array,
  free0: Float64Array,
  assignArc: Int32Array,
  rounds = 3,
): boolean {
  let any = false;
  const D = hours.length;
  const free = Float64Array.from(free0);
  const holding: number[][] = Array.from({ length: free0.length }, () => []);
  for (let i = 0; i < D; i++) {
    const a = assignArc[i];
    if (a < 0) continue;
    const j = graph.volunteer[a];
    holding[j].push(i);
    free[j] -= hours[i];
  }
  const move = (x: number, toArc: number) => {
    const from = assignArc[x];
    if (from >= 0) {
      const j = graph.volunteer[from];
      holding[j].splice(holding[j].indexOf(x), 1);
      free[j] += hours[x];
    }
    assignArc[x] = toArc;
    if (toArc >= 0) {
      const j = graph.volunteer[toArc];
      holding[j].push(x);
      free[j] -= hours[x];
    }
  };
  const arcDemand = new Int32Array(graph.volunteer.length);
  for (let i = 0; i < D; i++) for (let a = graph.start[i]; a < graph.start[i + 1]; a++) arcDemand[a] = i;
  /** The best arc of a still-unassigned demand waiting for volunteer j that fits in `room`. */
  const fill = (waiting: number[][], j: number, room: number, not1: number, not2: number): number => {
    let best = -1;
    if (j < 0) return best;
    for (const a of waiting[j]) {
      const f = arcDemand[a];
      if (assignArc[f] >= 0 || f === not1 || f === not2 || hours[f] > room + EPS) continue;
      if (best < 0 || weight[a] > weight[best]) best = a;
    }
    return best;
  };
  const w = (a: number) => (a >= 0 ? weight[a] : 0);
  for (let round = 0; round < rounds; round++) {
    let gained = false;
    const waiting: number[][] = Array.from({ length: free0.length }, () => []);
    for (let i = 0; i < D; i++)
      if (assignArc[i] < 0)
        for (let a = graph.start[i]; a < graph.start[i + 1]; a++) waiting[graph.volunteer[a]].push(a);
    for (let d = 0; d < D; d++) {
      // d moves (or enters) to volunteer j, possibly making room by moving one of j's demands x to
      // u (or leaving it out); the room then left at j and at d's old volunteer may take a waiting demand.
      const curArc = assignArc[d];
      const cur = curArc >= 0 ? graph.volunteer[curArc] : -1;
      const base = w(curArc);
      let best = EPS;
      // [arc for d, moved demand or −1, its new arc or −1, filler arc at j, filler arc at cur]
      let plan: number[] | null = null;
      const consider = (a: number, j: number, x: number, b: number) => {
        const u = b >= 0 ? graph.volunteer[b] : -1;
        const core = weight[a] - base - (x >= 0 ? weight[assignArc[x]] : 0) + w(b);
        const roomJ = free[j] + (x >= 0 ? hours[x] : 0) - hours[d];
        const roomCur = cur >= 0 ? free[cur] + hours[d] - (u === cur ? hours[x] : 0) : 0;
        const fj = fill(waiting, j, roomJ, d, x);
        const fc = cur >= 0 ? fill(waiting, cur, roomCur, d, fj >= 0 ? arcDemand[fj] : x) : -1;
        const g = core + w(fj) + w(fc);
        if (g > best) {
          best = g;
          plan = [a, x, b, fj, fc];
        }
      };
      for (let a = graph.start[d]; a < graph.start[d + 1]; a++) {
        const j = graph.volunteer[a];
        if (j === cur) continue;
        if (free[j] + EPS >= hours[d]) {
          consider(a, j, -1, -1);
          continue;
        }
        for (const x of holding[j]) {
          if (free[j] + hours[x] + EPS < hours[d]) continue;
          consider(a, j, x, -1);
          for (let b = graph.start[x]; b < graph.start[x + 1]; b++) {
            const u = graph.volunteer[b];
            if (u === j) continue;
            const room = free[u] + (u === cur ? hours[d] : 0);
            if (room + EPS < hours[x]) continue;
            consider(a, j, x, b);
          }
        }
      }
      if (!plan) continue;
      const [a, x, b, fj, fc] = plan as number[];
      if (x >= 0) move(x, -1);
      move(d, a);
      if (x >= 0 && b >= 0) move(x, b);
      for (const f of [fj, fc]) {
        if (f >= 0 && free[graph.volunteer[f]] + EPS >= hours[arcDemand[f]]) move(arcDemand[f], f);
      }
      gained = true;
      any = true;
    }
    if (!gained) break;
  }
  return any;
}

/**
 * A second local search for mixed hours: for each volunteer that some unassigned demand could go
 * to, the best set among the demands it holds and those waiting is chosen exactly (a 0/1
 * knapsack over its hours, in tenths of an hour); the ones it lets go wait for another volunteer.
 * Two short demands can so replace one long one. Returns whether anything changed.
 */
export function repackVolunteers(
  graph: CandidateGraph,
  weight: Float64Array,
  hours: Float64Array,
  free0: Float64Array,
  assignArc: Int32Array,
): boolean {
  const D = hours.length;
  const V = free0.length;
  const held: number[][] = Array.from({ length: V }, () => []);
  const free = Float64Array.from(free0);
  for (let i = 0; i < D; i++) {
    if (assignArc[i] < 0) continue;
    const j = graph.volunteer[assignArc[i]];
    held[j].push(assignArc[i]);
    free[j] -= hours[i];
  }
  const arcDemand = new Int32Array(graph.volunteer.length);
  for (let i = 0; i < D; i++) for (let a = graph.start[i]; a < graph.start[i + 1]; a++) arcDemand[a] = i;
  const waiting: number[][] = Array.from({ length: V }, () => []);
  for (let i = 0; i < D; i++) {
    if (assignArc[i] >= 0) continue;
    for (let a = graph.start[i]; a < graph.start[i + 1]; a++) waiting[graph.volunteer[a]].push(a);
  }
  /** x's best other arc (not to j) whose volunteer has room now, or −1. */
  const alternative = (x: number, j: number) => {
    let best = -1;
    for (let b = graph.start[x]; b < graph.start[x + 1]; b++) {
      const u = graph.volunteer[b];
      if (u !== j && free[u] + EPS >= hours[x] && (best < 0 || weight[b] > weight[best])) best = b;
    }
    return best;
  };
  let changed = false;
  for (let j = 0; j < V; j++) {
    const pending = waiting[j].filter((a) => assignArc[arcDemand[a]] < 0);
    if (pending.length === 0) continue;
    const items = [...held[j], ...pending];
    const cap = Math.floor((free0[j] + EPS) * 10);
    if (items.length * (cap + 1) > 2_000_000) continue;
    // A held demand is worth what it would lose by moving to its best alternative with room.
    const alt = held[j].map((a) => alternative(arcDemand[a], j));
    const value = items.map((a, n) =>
      n < held[j].length ? weight[a] - (alt[n] >= 0 ? weight[alt[n]] : 0) : weight[a],
    );
    const size = items.map((a) => Math.ceil(hours[arcDemand[a]] * 10 - EPS));
    const dp = new Float64Array(cap + 1);
    const take = new Uint8Array(items.length * (cap + 1));
    items.forEach((_, n) => {
      for (let c = cap; c >= size[n]; c--) {
        const v = dp[c - size[n]] + value[n];
        if (v > dp[c] + 1e-12) {
          dp[c] = v;
          take[n * (cap + 1) + c] = 1;
        }
      }
    });
    const current = value.slice(0, held[j].length).reduce((sum, v) => sum + v, 0);
    if (dp[cap] <= current + EPS) continue;
    const chosen = new Set<number>();
    for (let n = items.length - 1, c = cap; n >= 0; n--) {
      if (take[n * (cap + 1) + c]) {
        chosen.add(items[n]);
        c -= size[n];
      }
    }
    // Apply, relocating the demands let go where there is still room; undo if the total did not grow.
    const undo: [number, number][] = [];
    const setArc = (x: number, a: number) => {
      undo.push([x, assignArc[x]]);
      const from = assignArc[x];
      if (from >= 0) free[graph.volunteer[from]] += hours[x];
      assignArc[x] = a;
      if (a >= 0) free[graph.volunteer[a]] -= hours[x];
    };
    let delta = 0;
    const before = held[j];
    for (const a of before) {
      if (chosen.has(a)) continue;
      const x = arcDemand[a];
      setArc(x, -1);
      delta -= weight[a];
    }
    for (const a of chosen) {
      if (assignArc[arcDemand[a]] === a) continue;
      setArc(arcDemand[a], a);
      delta += weight[a];
    }
    for (const a of before) {
      if (chosen.has(a)) continue;
      const x = arcDemand[a];
      const b = alternative(x, j);
      if (b >= 0) {
        setArc(x, b);
        delta += weight[b];
      }
    }
    if (delta <= EPS) {
      for (let n = undo.length - 1; n >= 0; n--) {
        const [x, a] = undo[n];
        const now = assignArc[x];
        if (now >= 0) free[graph.volunteer[now]] += hours[x];
        assignArc[x] = a;
        if (a >= 0) free[graph.volunteer[a]] -= hours[x];
      }
      continue;
    }
    // Rebuild the held lists of every volunteer touched.
    const touched = new Set<number>();
    for (const [x, a] of undo) {
      if (a >= 0) touched.add(graph.volunteer[a]);
      if (assignArc[x] >= 0) touched.add(graph.volunteer[assignArc[x]]);
    }
    for (const u of touched) held[u] = held[u].filter((a) => assignArc[arcDemand[a]] === a);
    for (const [x] of undo) {
      const a = assignArc[x];
      if (a >= 0 && !held[graph.volunteer[a]].includes(a)) held[graph.volunteer[a]].push(a);
    }
    changed = true;
  }
  return changed;
}

/** The whole batch: candidates, then the flow, then the local search. */
export function assignBatch(
  demands: readonly DemandSpec[],
  volunteers: readonly VolunteerSpec[],
  opts: BatchOptions = {},
): BatchResult {
  const t0 = performance.now();
  const graph = buildCandidates(demands, volunteers, opts);
  const t1 = performance.now();
  const weight = new Float64Array(graph.score.length);
  for (let i = 0; i < demands.length; i++) {
    for (let a = graph.start[i]; a < graph.start[i + 1]; a++) weight[a] = demands[i].priority * graph.score[a];
  }
  const hours = Float64Array.from(demands, (d) => d.hours);
  const free = Float64Array.from(volunteers, (v) => Math.max(0, v.capacityHours - v.loadHours));
  // Heaviest first: with mixed hours, the most valuable demands choose before the rest.
  const best = demands.map((_, i) => (graph.start[i + 1] > graph.start[i] ? weight[graph.start[i]] : 0));
  const order = demands.map((_, i) => i).sort((a, b) => best[b] - best[a] || a - b);
  const assignArc = solveFlow(graph, weight, hours, free, order);
  for (let round = 0; round < 3; round++) {
    const a = repackVolunteers(graph, weight, hours, free, assignArc);
    const b = improve(graph, weight, hours, free, assignArc);
    if (!a && !b) break;
  }
  const t2 = performance.now();
  const assignments: Assignment[] = [];
  const unassigned: string[] = [];
  let totalScore = 0;
  demands.forEach((d, i) => {
    const a = assignArc[i];
    if (a < 0) {
      unassigned.push(d.id);
      return;
    }
    assignments.push({
      demandId: d.id,
      volunteerId: volunteers[graph.volunteer[a]].id,
      score: graph.score[a],
      hours: d.hours,
    });
    totalScore += weight[a];
  });
  return {
    assignments,
    totalScore,
    unassigned,
    stats: {
      demands: demands.length,
      volunteers: volunteers.length,
      candidateArcs: graph.score.length,
      candidateMs: t1 - t0,
      flowMs: t2 - t1,
    },
  };
}
