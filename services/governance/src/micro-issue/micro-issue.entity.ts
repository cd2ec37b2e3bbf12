import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MicroIssueLevel = 'building_leader' | 'grid_worker' | 'mediation' | 'legal_adviser';
export type MicroIssueOutcome = 'solved' | 'agreement' | 'referred' | 'withdrawn';

/** 微难题/微矛盾 — a micro-issue or micro-dispute of a building, routed up the levels until resolved. */
@Entity({ name: 'micro_issue' })
export class MicroIssue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'building_id', type: 'uuid', nullable: true })
  buildingId: string | null;

  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @Column({ type: 'text' })
  kind: 'issue' | 'dispute';

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'reported_by_subject', type: 'text' })
  reportedBySubject: string;

  @Column({ name: 'reported_by_role', type: 'text' })
  reportedByRole: string;

  @Column({ name: 'reported_by_resident_id', type: 'uuid', nullable: true })
  reportedByResidentId: string | null;

  @Column({ type: 'text' })
  level: MicroIssueLevel;

  @Column({ name: 'level_due_at', type: 'timestamptz' })
  levelDueAt: Date;

  @Column({ type: 'text' })
  status: 'open' | 'resolved';

  @Column({ type: 'int' })
  escalations: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: MicroIssueOutcome | null;

  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  outcomeNote: string | null;
}
