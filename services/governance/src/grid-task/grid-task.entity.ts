import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type GridTaskStatus = 'open' | 'done' | 'closed';

/** 网格员任务 — a follow-up for the grid worker, opened by an event of another service. */
@Entity({ name: 'grid_task' })
export class GridTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @Column({ name: 'household_id', type: 'uuid', nullable: true })
  householdId: string | null;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb' })
  detail: Record<string, unknown>;

  @Column({ type: 'text' })
  status: GridTaskStatus;

  @Column({ name: 'source_event', type: 'text' })
  sourceEvent: string;

  @Column({ name: 'source_event_id', type: 'uuid' })
  sourceEventId: string;

  @Column({ name: 'source_key', type: 'text' })
  sourceKey: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  @Column({ name: 'done_by', type: 'text', nullable: true })
  doneBy: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by_event_id', type: 'uuid', nullable: true })
  closedByEventId: string | null;
}
