import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ListKind = 'party_service' | 'property' | 'grid';
export type ListItemStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

/** 三张清单 — one item of the party-mass service, property management or grid management list. */
@Entity({ name: 'list_item' })
export class ListItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  kind: ListKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  /** The responsible person or unit, as written on the list. */
  @Column({ name: 'owner_name', type: 'text' })
  ownerName: string;

  /** Token subject of the responsible person, when they use Anju (they get the reminders). */
  @Column({ name: 'owner_subject', type: 'text', nullable: true })
  ownerSubject: string | null;

  /** The responsible regional unit (区域单位), when a unit owns it. */
  @Column({ name: 'owner_unit_id', type: 'uuid', nullable: true })
  ownerUnitId: string | null;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'text' })
  status: ListItemStatus;

  @Column({ name: 'completion_note', type: 'text', nullable: true })
  completionNote: string | null;

  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** The joint meeting whose resolution this item is, if any. */
  @Column({ name: 'resolution_of', type: 'uuid', nullable: true })
  resolutionOf: string | null;

  @Column({ name: 'resolution_no', type: 'int', nullable: true })
  resolutionNo: number | null;
}
