import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 劳动力档案 — one per resident, created from resident.registered. */
@Entity({ name: 'labour_profile' })
export class LabourProfile {
  @PrimaryColumn({ name: 'resident_id', type: 'uuid' })
  residentId: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'labour_capacity', type: 'text' })
  labourCapacity: 'full' | 'weak' | 'none';

  @Column({ name: 'can_work_away', type: 'boolean' })
  canWorkAway: boolean;

  @Column({ name: 'wants_work', type: 'boolean' })
  wantsWork: boolean;

  @Column({ name: 'birth_year', type: 'int' })
  birthYear: number;

  /** The resident.registered event that created it. */
  @Column({ name: 'source_event_id', type: 'uuid' })
  sourceEventId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
