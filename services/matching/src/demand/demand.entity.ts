import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DemandStatus = 'open' | 'claimed' | 'in_progress' | 'fulfilled' | 'closed' | 'cancelled';
export type Urgency = 'low' | 'normal' | 'high' | 'critical';

/** 需求 — one item of a site's demand list (需求清单). */
@Entity({ name: 'demand' })
export class Demand {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ type: 'text' })
  status: DemandStatus;

  @Column({ type: 'text', array: true })
  languages: string[];

  @Column({ name: 'required_skills', type: 'text', array: true })
  requiredSkills: string[];

  @Column({ name: 'window_start', type: 'date', nullable: true })
  windowStart: string | null;

  @Column({ name: 'window_end', type: 'date', nullable: true })
  windowEnd: string | null;

  @Column({ name: 'household_id', type: 'uuid', nullable: true })
  householdId: string | null;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ type: 'numeric', precision: 5, scale: 1 })
  hours: string;

  /** The regional unit that claimed it (认领), while claimed. */
  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @Column({ name: 'promised_on', type: 'date', nullable: true })
  promisedOn: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  /** Set by the scheduled task when the promised date passed unfulfilled. */
  @Column({ name: 'overdue_since', type: 'timestamptz', nullable: true })
  overdueSince: Date | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;

  /** The monitoring gap (household.gap.detected) a job-help demand was raised for. */
  @Column({ name: 'gap_id', type: 'uuid', nullable: true })
  gapId: string | null;
}
