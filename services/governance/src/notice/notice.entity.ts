import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type NoticeCategory =
  'finance' | 'subsidy' | 'points' | 'resolution' | 'affairs' | 'party_building' | 'culture' | 'other';
export type NoticeStatus = 'scheduled' | 'published' | 'withdrawn';

/** 居务公开 — a public notice for one or more sites. */
@Entity({ name: 'notice' })
export class Notice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  category: NoticeCategory;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'publish_at', type: 'timestamptz' })
  publishAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'text' })
  status: NoticeStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'withdrawn_reason', type: 'text', nullable: true })
  withdrawnReason: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;
}
