import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 楼栋 — a building of a site, in at most one grid, with its building leader (楼栋长). */
@Entity({ name: 'building' })
export class Building {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'int', nullable: true })
  floors: number | null;

  @Column({ name: 'leader_resident_id', type: 'uuid', nullable: true })
  leaderResidentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
