import { evaluateHousehold, reasonFor, type HouseholdFacts, type MemberFacts } from './rules';

const DAY = '2026-06-01';
const member = (over: Partial<MemberFacts> = {}): MemberFacts => ({
  labourCapacity: 'full',
  canWorkAway: true,
  wantsWork: false,
  movedOut: false,
  completedTrainings: 1,
  skills: 1,
  jobs: [],
  ...over,
});
const job = (over: Partial<MemberFacts['jobs'][number]> = {}) => ({
  kind: 'workshop' as const,
  startedOn: '2026-01-01',
  endedOn: null,
  monthlyIncome: 2000,
  ...over,
});
const dividend = (annualDividend: number) => ({ annualDividend, annualWageIncome: 0 });
const household = (members: MemberFacts[], over: Partial<HouseholdFacts> = {}): HouseholdFacts => ({
  members,
  land: [],
  projects: [],
  ...over,
});
const failed = (h: HouseholdFacts) => evaluateHousehold(h, DAY).failed;

describe('income-stability rules', () => {
  it('a trained, employed household with income passes all four', () => {
    expect(failed(household([member({ jobs: [job()] })]))).toEqual([]);
  });

  describe('rule 1: training and skill', () => {
    it('fails when a member with labour capacity lacks a completed training or a skill', () => {
      expect(failed(household([member({ completedTrainings: 0, jobs: [job()] })]))).toEqual(['TRAINING_AND_SKILL']);
      expect(failed(household([member({ skills: 0, jobs: [job()] })]))).toEqual(['TRAINING_AND_SKILL']);
      expect(failed(household([member({ labourCapacity: 'weak', skills: 0, jobs: [job()] })]))).toEqual([
        'TRAINING_AND_SKILL',
      ]);
    });
    it('asks nothing of members without labour capacity or who moved out', () => {
      expect(
        failed(
          household([member({ jobs: [job()] }), member({ labourCapacity: 'none', completedTrainings: 0, skills: 0 })]),
        ),
      ).toEqual([]);
      expect(failed(household([member({ jobs: [job()] }), member({ movedOut: true, completedTrainings: 0 })]))).toEqual(
        [],
      );
    });
  });

  describe('rule 2: public-welfare post', () => {
    it('fails when nobody with labour capacity can work away and no post is held', () => {
      expect(failed(household([member({ canWorkAway: false, jobs: [job()] })]))).toEqual(['PUBLIC_WELFARE_POST']);
    });
    it('passes with an ongoing post; an ended or future post does not count', () => {
      const post = job({ kind: 'public_welfare_post' });
      expect(failed(household([member({ canWorkAway: false, jobs: [post] })]))).toEqual([]);
      expect(failed(household([member({ canWorkAway: false, jobs: [job(), { ...post, endedOn: DAY }] })]))).toEqual([
        'PUBLIC_WELFARE_POST',
      ]);
      expect(
        failed(household([member({ canWorkAway: false, jobs: [job(), { ...post, startedOn: '2026-06-02' }] })])),
      ).toEqual(['PUBLIC_WELFARE_POST']);
    });
    it('does not apply to a household with no labour capacity, nor when a member with capacity can work away', () => {
      expect(
        failed(household([member({ labourCapacity: 'none', canWorkAway: false })], { projects: [dividend(300)] })),
      ).toEqual([]);
      expect(failed(household([member({ canWorkAway: false, jobs: [job()] }), member({ canWorkAway: true })]))).toEqual(
        [],
      );
      // A member without capacity who could "work away" does not lift the rule.
      expect(
        failed(
          household([
            member({ canWorkAway: false, jobs: [job()] }),
            member({ labourCapacity: 'none', canWorkAway: true }),
          ]),
        ),
      ).toEqual(['PUBLIC_WELFARE_POST']);
    });
  });

  describe('rule 3: employed member (零就业家庭)', () => {
    it('fails when someone wants work and no member has an ongoing job', () => {
      expect(failed(household([member({ wantsWork: true })], { projects: [dividend(500)] }))).toEqual([
        'EMPLOYED_MEMBER',
      ]);
      expect(
        failed(
          household([member({ wantsWork: true, jobs: [job({ endedOn: '2026-05-31' })] })], {
            projects: [dividend(500)],
          }),
        ),
      ).toEqual(['EMPLOYED_MEMBER']);
    });
    it('any member’s job, even unpaid, clears it', () => {
      expect(
        failed(
          household([member({ wantsWork: true }), member({ jobs: [job({ monthlyIncome: 0 })] })], {
            projects: [dividend(1)],
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('rule 4: stable income', () => {
    it('fails with no source; an unpaid job, idle land or a zero dividend are not sources', () => {
      expect(failed(household([member()]))).toEqual(['STABLE_INCOME']);
      expect(
        failed(
          household([member({ jobs: [job({ monthlyIncome: 0 })] })], {
            land: [
              { state: 'idle', annualIncome: 0 },
              { state: 'leased', annualIncome: 0 },
            ],
            projects: [dividend(0)],
          }),
        ),
      ).toEqual(['STABLE_INCOME']);
    });
    it('passes with leased or pooled land earning, or a dividend or wages from an industry project', () => {
      expect(failed(household([member()], { land: [{ state: 'pooled', annualIncome: 800 }] }))).toEqual([]);
      expect(failed(household([member()], { land: [{ state: 'leased', annualIncome: 1 }] }))).toEqual([]);
      expect(failed(household([member()], { projects: [dividend(600)] }))).toEqual([]);
      // Wages from working in an industry project are income from it, as its dividend is.
      expect(failed(household([member()], { projects: [{ annualDividend: 0, annualWageIncome: 12000 }] }))).toEqual([]);
    });
  });

  it('reports figures and reasons', () => {
    const v = evaluateHousehold(
      household([
        member({ completedTrainings: 0, canWorkAway: false, wantsWork: true }),
        member({ labourCapacity: 'none' }),
      ]),
      DAY,
    );
    expect(v.failed).toEqual(['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME']);
    expect(v.figures).toEqual({ members: 2, able: 1, untrained: 1, employed: 0, welfarePosts: 0, incomeSources: 0 });
    expect(reasonFor('TRAINING_AND_SKILL', v.figures)).toMatch(/1 of 1 members/);
  });
});
