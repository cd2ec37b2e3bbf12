import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An employer at a site; kind poverty_workshop is a 扶贫车间. */
@Entity({ name: 'employer' })
export class Employer {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text', nullable: true }) address: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A job posting; kind public_welfare_post is a 公益性岗位 with funding source and term. */
@Entity({ name: 'job_posting' })
export class JobPosting {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'employer_id', type: 'uuid', nullable: true }) employerId: string | null;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) kind: 'regular' | 'public_welfare_post';
  @Column({ name: 'funding_source', type: 'text', nullable: true }) fundingSource: string | null;
  @Column({ name: 'term_starts_on', type: 'date', nullable: true }) termStartsOn: string | null;
  @Column({ name: 'term_ends_on', type: 'date', nullable: true }) termEndsOn: string | null;
  @Column({ type: 'int' }) capacity: number;
  /** Places taken now; never above capacity (CHECK, and one conditional UPDATE per start). */
  @Column({ type: 'int' }) filled: number;
  @Column({ name: 'monthly_wage', type: 'numeric', precision: 12, scale: 2 }) monthlyWage: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A resident's job of any kind (就业形式), from start to end, with monthly income. */
@Entity({ name: 'employment_record' })
export class EmploymentRecord {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'resident_id', type: 'uuid' }) residentId: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'employer_id', type: 'uuid', nullable: true }) employerId: string | null;
  @Column({ name: 'posting_id', type: 'uuid', nullable: true }) postingId: string | null;
  @Column({ type: 'text', nullable: true }) destination: string | null;
  @Column({ name: 'started_on', type: 'date' }) startedOn: string;
  @Column({ name: 'ended_on', type: 'date', nullable: true }) endedOn: string | null;
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason: string | null;
  @Column({ name: 'monthly_income', type: 'numeric', precision: 12, scale: 2 }) monthlyIncome: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
