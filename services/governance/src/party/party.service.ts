import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  placeFilter,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
  audit,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import { gridWorkerSites } from '../scope';
import { checkListItem, insertListItem, type ListItemInput } from '../list-item/list-item.service';

export interface PartyOrganizationRow {
  id: string;
  siteId: string;
  regionCode: string;
  name: string;
  secretaryName: string | null;
}
export interface PartyMemberRow {
  id: string;
  organizationId: string;
  name: string;
  position: string;
  unitName: string | null;
  unitId: string | null;
  concurrent: boolean;
  joinedOn: string;
}
export interface JointMeetingRow {
  id: string;
  siteId: string;
  regionCode: string;
  heldOn: string;
  title: string;
  agenda: string[];
  attendees: { name: string; unitName?: string | null }[];
  minutes: string | null;
}

export interface RecordJointMeetingInput {
  siteId: string;
  heldOn: string;
  title: string;
  agenda: string[];
  attendees: { name: string; unitName?: string | null }[];
  minutes?: string | null;
  resolutions: ListItemInput[];
}

const ORG = `o.id, o.site_id AS "siteId", s.region_code AS "regionCode", o.name, o.secretary_name AS "secretaryName"`;
const MEETING = `j.id, j.site_id AS "siteId", j.region_code AS "regionCode",
                   to_char(j.held_on, 'YYYY-MM-DD') AS "heldOn", j.title, j.agenda, j.attendees, j.minutes`;

/** 社区大党委 and 联席会议: officers of the site and its region read and write; grid workers and units read. */
export class PartyService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private readScope(n: number, site: string, region: string): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'grid_worker') return gridWorkerSites(p, site, n);
    return placeFilter(p, { site, region }, n);
  }

  async organizationOfSite(siteId: string): Promise<PartyOrganizationRow | null> {
    const scope = this.readScope(2, 'o.site_id', 's.region_code');
    const [row] = await this.db.query(
      `SELECT ${ORG} FROM party_organization o JOIN site s ON s.id = o.site_id WHERE o.site_id = as_uuid($1)
         AND ${scope.sql}`,
      [siteId, ...scope.params],
    );
    return row ?? null;
  }

  members(orgIds: readonly string[]): Promise<PartyMemberRow[]> {
    return this.db.query(
      `SELECT id, organization_id AS "organizationId", name, position, unit_name AS "unitName", unit_id AS "unitId",
           concurrent, to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn"
         FROM party_member WHERE organization_id = ANY(as_uuids($1)) AND left_on IS NULL
           ORDER BY concurrent, joined_on, name`,
      [orgIds],
    );
  }

  /** Sets up (or renames) the community party organization of a site. */
  async setOrganization(input: {
    siteId: string;
    name: string;
    secretaryName?: string | null;
  }): Promise<PartyOrganizationRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = input.name.trim();
    if (name.length < 2 || name.length > 100) throw new InputError('input.name', 'A name has 2 to 100 characters.');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO party_organization (site_id, name, secretary_name) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET name = EXCLUDED.name, secretary_name = EXCLUDED.secretary_name
         RETURNING id`,
        [site.id, name, input.secretaryName?.trim() || null],
      );
      await audit(m, this.principal, {
        action: 'party_organization.set',
        entityType: 'PartyOrganization',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      return {
        id,
        siteId: site.id,
        regionCode: site.regionCode,
        name,
        secretaryName: input.secretaryName?.trim() || null,
      };
    });
  }

  /** Adds a member, typically a concurrent member (兼职委员) from a regional unit. */
  async addMember(input: {
    organizationId: string;
    name: string;
    position: string;
    unitName?: string | null;
    unitId?: string | null;
    concurrent?: boolean | null;
  }): Promise<PartyMemberRow> {
    requireRole(this.principal, 'county', 'site_officer');
    if (!isUuid(input.organizationId))
      throw new InputError('input.organizationId', 'Not an organization id.', 'FORMAT');
    const [org] = await this.db.query(
      `SELECT ${ORG} FROM party_organization o JOIN site s ON s.id = o.site_id WHERE o.id = $1`,
      [input.organizationId],
    );
    if (!org) throw new NotFoundError('input.organizationId', 'No such party organization.');
    if (!coversPlace(this.principal, { siteId: org.siteId, regionCode: org.regionCode }))
      throw new ForbiddenError('The organization is outside your scope.');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
    const position = input.position.trim();
    if (!position || position.length > 50)
      throw new InputError('input.position', 'A position (e.g. 兼职委员) has 1 to 50 characters.');
    if (input.unitId && !isUuid(input.unitId)) throw new InputError('input.unitId', 'Not a unit id.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO party_member (organization_id, name, position, unit_name, unit_id, concurrent, joined_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, organization_id AS "organizationId", name, position, unit_name AS "unitName",
           unit_id AS "unitId", concurrent, to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn"`,
        [
          org.id,
          name,
          position,
          input.unitName?.trim() || null,
          input.unitId || null,
          input.concurrent ?? true,
          provinceDate(this.clock.now()),
        ],
      );
      await audit(m, this.principal, {
        action: 'party_member.add',
        entityType: 'PartyMember',
        entityId: row.id,
        siteId: org.siteId,
        regionCode: org.regionCode,
      });
      return row;
    });
  }

  /** Records a joint meeting (联席会议); each resolution becomes a tracked list item in one transaction. */
  async recordMeeting(input: RecordJointMeetingInput): Promise<JointMeetingRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const today = provinceDate(this.clock.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.heldOn) || Number.isNaN(Date.parse(input.heldOn)))
      throw new InputError('input.heldOn', 'The meeting date is YYYY-MM-DD.', 'FORMAT');
    if (input.heldOn > today) throw new InputError('input.heldOn', 'A meeting is recorded after it is held.', 'FUTURE');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 200) throw new InputError('input.title', 'A title has 2 to 200 characters.');
    const attendees = input.attendees.map((a) => ({ name: a.name.trim(), unitName: a.unitName?.trim() || null }));
    if (!attendees.length || attendees.some((a) => !a.name))
      throw new InputError('input.attendees', 'List who attended (each with a name).');
    const agenda = input.agenda.map((a) => a.trim()).filter(Boolean);
    const resolutions = input.resolutions.map((r, i) => checkListItem(r, `input.resolutions.${i}`, today));
    return this.db.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO joint_meeting (site_id, region_code, held_on, title, agenda, attendees, minutes, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING ${MEETING.replaceAll('j.', '')}`,
        [
          site.id,
          site.regionCode,
          input.heldOn,
          title,
          agenda,
          JSON.stringify(attendees),
          input.minutes?.trim() || null,
          this.principal.subject,
        ],
      );
      for (const [i, r] of resolutions.entries()) await insertListItem(m, site, r, { meetingId: row.id, no: i + 1 });
      await audit(m, this.principal, {
        action: 'joint_meeting.record',
        entityType: 'JointMeeting',
        entityId: row.id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { resolutions: resolutions.length },
      });
      return row;
    });
  }

  meetingsByIds(ids: readonly string[]): Promise<JointMeetingRow[]> {
    const scope = this.readScope(2, 'j.site_id', 'j.region_code');
    return this.db.query(`SELECT ${MEETING} FROM joint_meeting j WHERE j.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  async meetings(siteId: string, first: number | null | undefined, after: string | null | undefined) {
    const scope = this.readScope(2, 'j.site_id', 'j.region_code');
    const params: unknown[] = [siteId, ...scope.params];
    const where = `j.site_id = as_uuid($1) AND ${scope.sql}`;
    const list = { columns: MEETING, from: 'joint_meeting j', where, params };
    const sort = desc<JointMeetingRow>(['j.held_on', 'date', 'heldOn'], ['j.id', 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }
}
