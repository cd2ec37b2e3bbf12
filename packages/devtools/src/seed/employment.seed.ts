import { service as employment } from '@anju/employment';
import type { Cell } from './copy';
import { siteEmployment, type SiteEmployment } from './employment-facts';
import { eachSite, type ServiceSeeder } from './seeder';
import { siteDirectoryRows, SITE_DIRECTORY_COLUMNS } from './site-directory';
import type { SitePeople, SitePlan } from './world';

/**
 * Employment: its local site directory (what site.registered would have filled), a labour
 * profile per resident and each household's place (what resident.registered would have made),
 * then trainings, skills, employers, postings (public-welfare posts among them), jobs, land and
 * industry links — the facts the income-stability monitoring judges. The monitoring itself is
 * not seeded: its nightly run (or a re-check) finds the gaps.
 */
export const employmentSeeder: ServiceSeeder = {
  service: 'employment',
  data: employment.data as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    const facts = new Map<number, SiteEmployment>();
    const factsOf = (site: SitePlan, people: SitePeople) => {
      let f = facts.get(site.index);
      if (!f) facts.set(site.index, (f = siteEmployment(world, site, people)));
      return f;
    };
    /** Rows of one table over every site; skipped (0 rows) when the table has not landed. */
    const table = async (
      name: string,
      columns: string[],
      rows: (site: SitePlan, f: SiteEmployment, people: SitePeople) => Iterable<Cell[]>,
    ) => {
      if (!(await db.columns(name))) return;
      counts[name] = await db.copy(
        name,
        columns,
        (function* () {
          for (const { site, people } of eachSite(world)) yield* rows(site, factsOf(site, people), people);
        })(),
      );
    };

    counts.site_directory = await db.copy('site_directory', SITE_DIRECTORY_COLUMNS, siteDirectoryRows(world));
    await Promise.all([
      (async () => {
        counts.labour_profile = await db.copy(
          'labour_profile',
          [
            'resident_id',
            'household_id',
            'site_id',
            'region_code',
            'labour_capacity',
            'can_work_away',
            'wants_work',
            'birth_year',
            'source_event_id',
          ],
          (function* () {
            for (const { site, people } of eachSite(world)) {
              for (const h of people.households) {
                for (const p of h.members) {
                  // No event carried these rows: the source is the seed run, one id per resident.
                  yield [
                    p.id,
                    h.id,
                    site.id,
                    site.regionCode,
                    p.labourCapacity,
                    p.canWorkAway,
                    p.wantsWork,
                    Number(p.birthDate.slice(0, 4)),
                    p.id,
                  ];
                }
              }
            }
          })(),
        );
        log(`employment: ${counts.labour_profile} labour profiles`);
        await table(
          'household_place',
          ['household_id', 'site_id', 'region_code', 'grid_id'],
          function* (site, _f, people) {
            const gridOf = new Map(people.buildings.map((b) => [b.id, b.gridId]));
            for (const h of people.households) yield [h.id, site.id, site.regionCode, gridOf.get(h.buildingId) ?? null];
          },
        );
      })(),
      (async () => {
        await table(
          'training_course',
          [
            'id',
            'site_id',
            'region_code',
            'skill',
            'provider',
            'place',
            'starts_on',
            'ends_on',
            'capacity',
            'enrolled',
          ],
          function* (site, f) {
            for (const c of f.courses)
              yield [
                c.id,
                site.id,
                site.regionCode,
                c.skill,
                c.provider,
                c.place,
                c.startsOn,
                c.endsOn,
                c.capacity,
                c.enrolled,
              ];
          },
        );
        await table(
          'enrollment',
          [
            'id',
            'course_id',
            'resident_id',
            'household_id',
            'site_id',
            'region_code',
            'status',
            'attendance_percent',
            'completed_on',
            'dropped_reason',
          ],
          function* (site, f) {
            for (const e of f.enrollments)
              yield [
                e.id,
                e.courseId,
                e.residentId,
                e.householdId,
                site.id,
                site.regionCode,
                e.status,
                e.attendance,
                e.completedOn,
                e.droppedReason,
              ];
          },
        );
        await table(
          'skill',
          [
            'id',
            'resident_id',
            'household_id',
            'site_id',
            'region_code',
            'name',
            'level',
            'certificate_number',
            'certified_on',
            'enrollment_id',
          ],
          function* (site, f) {
            for (const k of f.skills)
              yield [
                k.id,
                k.residentId,
                k.householdId,
                site.id,
                site.regionCode,
                k.name,
                k.level,
                k.certificate,
                k.certifiedOn,
                k.enrollmentId,
              ];
          },
        );
        log(
          `employment: ${counts.training_course ?? 0} ` +
            `courses, ${counts.enrollment ?? 0} enrollments, ${counts.skill ?? 0} skills`,
        );
      })(),
      (async () => {
        await table('employer', ['id', 'name', 'kind', 'site_id', 'region_code', 'address'], function* (site, f) {
          for (const e of f.employers) yield [e.id, e.name, e.kind, site.id, site.regionCode, e.address];
        });
        await table(
          'job_posting',
          [
            'id',
            'employer_id',
            'site_id',
            'region_code',
            'title',
            'kind',
            'funding_source',
            'term_starts_on',
            'term_ends_on',
            'capacity',
            'filled',
            'monthly_wage',
          ],
          function* (site, f) {
            for (const p of f.postings)
              yield [
                p.id,
                p.employerId,
                site.id,
                site.regionCode,
                p.title,
                p.kind,
                p.funding,
                p.termStart,
                p.termEnd,
                p.capacity,
                p.filled,
                p.wage,
              ];
          },
        );
        await table(
          'employment_record',
          [
            'id',
            'resident_id',
            'household_id',
            'site_id',
            'region_code',
            'kind',
            'employer_id',
            'posting_id',
            'destination',
            'started_on',
            'ended_on',
            'end_reason',
            'monthly_income',
          ],
          function* (site, f) {
            for (const j of f.jobs)
              yield [
                j.id,
                j.residentId,
                j.householdId,
                site.id,
                site.regionCode,
                j.kind,
                j.employerId,
                j.postingId,
                j.destination,
                j.startedOn,
                j.endedOn,
                j.endReason,
                j.income,
              ];
          },
        );
        log(
          `employment: ${counts.employer ?? 0} employers, ${counts.job_posting ?? 0} ` +
            `postings, ${counts.employment_record ?? 0} employment records`,
        );
      })(),
      (async () => {
        await table(
          'land_asset',
          ['id', 'household_id', 'site_id', 'region_code', 'kind', 'area_mu', 'state', 'annual_income'],
          function* (site, f) {
            for (const l of f.land)
              yield [l.id, l.householdId, site.id, site.regionCode, l.kind, l.area, l.state, l.income];
          },
        );
        await table(
          'industry_project',
          [
            'id',
            'name',
            'site_id',
            'region_code',
            'description',
            'industry',
            'organization_form',
            'policy_support',
            'technical_services',
          ],
          function* (site, f) {
            for (const p of f.projects) {
              yield [
                p.id,
                p.name,
                site.id,
                site.regionCode,
                p.description,
                p.industry,
                p.form,
                p.policySupport,
                p.technicalServices,
              ];
            }
          },
        );
        await table(
          'project_link',
          ['project_id', 'household_id', 'site_id', 'region_code', 'annual_dividend', 'linked_on'],
          function* (site, f) {
            for (const l of f.links)
              yield [l.projectId, l.householdId, site.id, site.regionCode, l.dividend, l.linkedOn];
          },
        );
        log(`employment: ${counts.land_asset ?? 0} land assets, ${counts.project_link ?? 0} industry links`);
      })(),
    ]);
    return counts;
  },
};
