import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 户 — a resettled household, registered at one site. */
@Entity({ name: 'household' })
export class Household {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  /** 搬迁户编号: the number in the site's resettlement register. */
  @Column({ name: 'household_number', type: 'text' })
  householdNumber: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
