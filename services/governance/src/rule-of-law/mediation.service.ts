import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  placeFilter,
  requireRole,
  requireInstant,
  type Clock,
  type Principal,
  audit,
  returning,
  isUuid,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import { requireAdviserServing } from './legal-adviser.service';

export interface CaseRow {
  id: string;
  siteId: string;
  regionCode: string;
  microIssueId: string | null;
  adviserId: string | null;
  title: string;
  summary: string;
  mediatorName: string;
  status: 'open' | 'closed';
  outcome: string | null;
  outcomeNote: string | null;
  openedAt: Date;
  closedAt: Date | null;
}

const CASE = `c.id, c.site_id AS "siteId", c.region_code AS "regionCode", c.micro_issue_id AS "microIssueId",
    c.adviser_id AS "adviserId", c.title, c.summary,
  c.mediator_name AS "mediatorName", c.status, c.outcome, c.outcome_note AS "outcomeNote", c.opened_at AS "openedAt",
    c.closed_at AS "closedAt"`;

/** 人民调解: mediation cases of a site, their parties and sessions. */
export class MediationService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /** Officers: cases of their sites; residents: cases they are a party to. */
  private caseScope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident')
      return {
        sql: `c.id IN (SELECT case_id FROM mediation_party WHERE resident_id = as_uuid($${n}))`,
        params: [p.residentId],
      };
    return placeFilter(p, { site: 'c.site_id', region: 'c.region_code' }, n);
  }

  casesByIds(ids: readonly string[]): Promise<CaseRow[]> {
    const scope = this.caseScope(2);
    return this.db.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  cases(siteId: string | null | undefined, status: 'open' | 'closed' | null | undefined): Promise<CaseRow[]> {
    const scope = this.caseScope(3);
    return this.db.query(
      `SELECT ${CASE} FROM mediation_case c WHERE ($1::text IS NULL OR c.site_id = as_uuid($1))
          AND ($2::text IS NULL OR c.status = $2) AND ${scope.sql}
        ORDER BY c.opened_at DESC, c.id LIMIT 200`,
      [siteId ?? null, status ?? null, ...scope.params],
    );
  }

  async openCase(input: {
    siteId: string;
    title: string;
    summary: string;
    mediatorName: string;
    microIssueId?: string | null;
    adviserId?: string | null;
    parties: { name: string; residentId?: string | null; role: 'applicant' | 'respondent' | 'other' }[];
  }): Promise<CaseRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 200) throw new InputError('input.title', 'A title has 2 to 200 characters.');
    const summary = input.summary.trim();
    if (!summary) throw new InputError('input.summary', 'Summarize the dispute.');
    const mediator = input.mediatorName.trim();
    if (!mediator) throw new InputError('input.mediatorName', 'Who mediates?');
    if (input.parties.length < 2)
      throw new InputError('input.parties', 'A mediation has at least two parties.', 'TOO_FEW');
    // The parties' residents are read in one statement; each is checked in order so the first bad one is named.
    const named = input.parties.map((party) => party.residentId).filter((id): id is string => !!id && isUuid(id));
    const siteOf = new Map<string, string>(
      named.length
        ? (await this.db.query(`SELECT id, site_id AS "siteId" FROM resident WHERE id = ANY($1::uuid[])`, [named])).map(
            (r: { id: string; siteId: string }) => [r.id, r.siteId],
          )
        : [],
    );
    for (const [i, party] of input.parties.entries()) {
      if (!party.name.trim()) throw new InputError(`input.parties.${i}.name`, 'Each party has a name.');
      if (party.residentId && siteOf.get(party.residentId.toLowerCase()) !== site.id)
        throw new InputError(`input.parties.${i}.residentId`, 'Not a resident of this site.', 'OTHER_SITE');
    }
    if (input.microIssueId) {
      const [mi] = isUuid(input.microIssueId)
        ? await this.db.query(`SELECT site_id AS "siteId" FROM micro_issue WHERE id = $1`, [input.microIssueId])
        : [];
      if (!mi || mi.siteId !== site.id)
        throw new InputError('input.microIssueId', 'No such micro-issue at this site.', 'OTHER_SITE');
    }
    if (input.adviserId) await requireAdviserServing(this.db, input.adviserId, site.id);
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO mediation_case (site_id, region_code, micro_issue_id, adviser_id, title, summary, mediator_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [site.id, site.regionCode, input.microIssueId || null, input.adviserId || null, title, summary, mediator],
      );
      for (const party of input.parties) {
        await m.query(`INSERT INTO mediation_party (case_id, name, resident_id, role) VALUES ($1, $2, $3, $4)`, [
          id,
          party.name.trim(),
          party.residentId || null,
          party.role,
        ]);
      }
      await audit(m, this.principal, {
        action: 'mediation_case.open',
        entityType: 'MediationCase',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      const [row] = await m.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = $1`, [id]);
      return row;
    });
  }

  private async caseForWrite(id: string): Promise<CaseRow> {
    requireRole(this.principal, 'county', 'site_officer');
    if (!isUuid(id)) throw new InputError('caseId', 'Not a case id.', 'FORMAT');
    const [row] = await this.casesByIds([id]);
    if (!row) throw new NotFoundError('caseId', 'No such mediation case.');
    if (row.status !== 'open') throw new ConflictError('caseId', 'The case is closed.', 'BAD_TRANSITION');
    return row;
  }

  async recordSession(caseId: string, input: { heldAt: string; place: string; notes: string }): Promise<CaseRow> {
    const row = await this.caseForWrite(caseId);
    const heldAt = requireInstant(input.heldAt, 'input.heldAt');
    if (heldAt > this.clock.now())
      throw new InputError('input.heldAt', 'A session is recorded after it is held.', 'FUTURE');
    if (!input.place.trim()) throw new InputError('input.place', 'Where was it held?');
    if (!input.notes.trim()) throw new InputError('input.notes', 'What happened?');
    return this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO mediation_session (case_id, held_at, place, notes, recorded_by) VALUES ($1, $2, $3, $4, $5)`,
        [row.id, heldAt, input.place.trim(), input.notes.trim(), this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'mediation_case.session',
        entityType: 'MediationCase',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      return row;
    });
  }

  async closeCase(
    caseId: string,
    outcome: 'agreement' | 'no_agreement' | 'referred' | 'withdrawn',
    note: string,
  ): Promise<CaseRow> {
    const row = await this.caseForWrite(caseId);
    const text = note.trim();
    if (text.length < 2) throw new InputError('note', 'Record the outcome (e.g. the terms agreed).');
    return this.db.transaction(async (m) => {
      const done = returning<{ id: string }>(
        await m.query(
          `UPDATE mediation_case SET status = 'closed', outcome = $2, outcome_note = $3, closed_at = now() WHERE id = $1
             AND status = 'open' RETURNING id`,
          [row.id, outcome, text],
        ),
      );
      if (!done.length) throw new ConflictError('caseId', 'The case is closed.', 'BAD_TRANSITION');
      await audit(m, this.principal, {
        action: 'mediation_case.close',
        entityType: 'MediationCase',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { outcome },
      });
      const [after] = await m.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = $1`, [row.id]);
      return after;
    });
  }

  parties(caseIds: readonly string[]) {
    return this.db.query(
      `SELECT case_id AS "caseId", name, resident_id AS "residentId", role FROM mediation_party
       WHERE case_id = ANY(as_uuids($1)) ORDER BY role, name`,
      [caseIds],
    );
  }

  sessions(caseIds: readonly string[]) {
    return this.db.query(
      `SELECT case_id AS "caseId", held_at AS "heldAt", place, notes FROM mediation_session
       WHERE case_id = ANY(as_uuids($1)) ORDER BY held_at`,
      [caseIds],
    );
  }
}
