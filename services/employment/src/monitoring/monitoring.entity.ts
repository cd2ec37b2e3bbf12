import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a household lives, as the latest resident event said. */
@Entity({ name: 'household_place' })
export class HouseholdPlace {
  @PrimaryColumn({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ name: 'grid_id', type: 'uuid', nullable: true }) gridId: string | null;
}

/** A household's latest verdict against the four rules, with the figures it rests on. */
@Entity({ name: 'household_status' })
export class HouseholdStatus {
  @PrimaryColumn({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ name: 'grid_id', type: 'uuid', nullable: true }) gridId: string | null;
  @Column({ type: 'text', array: true }) failed: string[];
  @Column({ type: 'int' }) members: number;
  @Column({ type: 'int' }) able: number;
  @Column({ type: 'int' }) untrained: number;
  @Column({ type: 'int' }) employed: number;
  @Column({ name: 'welfare_posts', type: 'int' }) welfarePosts: number;
  @Column({ name: 'income_sources', type: 'int' }) incomeSources: number;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
}

/** A gap: rules a household newly failed, open until none of them fails. */
@Entity({ name: 'household_gap' })
export class HouseholdGap {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text', array: true }) rules: string[];
  @Column({ name: 'needs_job_help', type: 'boolean' }) needsJobHelp: boolean;
  @Column({ name: 'detected_on', type: 'date' }) detectedOn: string;
  @Column({ name: 'closed_on', type: 'date', nullable: true }) closedOn: string | null;
}

/** One day's roll-up of one place (grid, site, county, prefecture or province). */
@Entity({ name: 'monitoring_snapshot' })
export class MonitoringSnapshot {
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'text' }) level: string;
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'int' }) households: number;
  @Column({ type: 'int' }) passing: number;
  @Column({ name: 'failing_training', type: 'int' }) failingTraining: number;
  @Column({ name: 'failing_welfare_post', type: 'int' }) failingWelfarePost: number;
  @Column({ name: 'failing_employed', type: 'int' }) failingEmployed: number;
  @Column({ name: 'failing_income', type: 'int' }) failingIncome: number;
}
