import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 志愿者 — a volunteer, resident or not. */
@Entity({ name: 'volunteer' })
export class Volunteer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** Set when the volunteer is a resident (verified hours earn points in governance). */
  @Column({ name: 'resident_id', type: 'uuid', nullable: true })
  residentId: string | null;

  @Column({ name: 'home_site_id', type: 'uuid' })
  homeSiteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text', array: true })
  skills: string[];

  @Column({ type: 'text', array: true })
  languages: string[];

  @Column({ name: 'weekly_hours', type: 'numeric', precision: 5, scale: 1 })
  weeklyHours: string;

  @Column({ type: 'int' })
  completed: number;

  @Column({ type: 'int' })
  failed: number;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt: Date;
}

/** A window in which a volunteer can serve. */
@Entity({ name: 'volunteer_availability' })
export class VolunteerAvailability {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;
}

/** A volunteer proposed for a demand, and their answer. */
@Entity({ name: 'assignment' })
export class Assignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'demand_id', type: 'uuid' })
  demandId: string;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @Column({ type: 'numeric', precision: 5, scale: 1 })
  hours: string;

  @Column({ type: 'double precision' })
  score: number;

  /** The engine's explanation of the score, component by component. */
  @Column({ type: 'jsonb' })
  explanation: unknown;

  @Column({ type: 'text' })
  source: 'incremental' | 'batch';

  @Column({ type: 'text' })
  status: 'proposed' | 'accepted' | 'declined' | 'completed' | 'withdrawn';

  @Column({ name: 'proposed_at', type: 'timestamptz', default: () => 'now()' })
  proposedAt: Date;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;
}

/** Hours a volunteer served, verified by the claiming unit or an officer. */
@Entity({ name: 'service_record' })
export class ServiceRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @Column({ name: 'assignment_id', type: 'uuid', nullable: true })
  assignmentId: string | null;

  @Column({ name: 'demand_id', type: 'uuid', nullable: true })
  demandId: string | null;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'numeric', precision: 5, scale: 1 })
  hours: string;

  @Column({ name: 'served_on', type: 'date' })
  servedOn: string;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ name: 'verified_by', type: 'text', nullable: true })
  verifiedBy: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;
}
