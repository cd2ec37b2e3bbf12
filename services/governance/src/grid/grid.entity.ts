import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 网格 — a grid of buildings at one site, looked after by a grid worker (网格员). */
@Entity({ name: 'grid' })
export class Grid {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ type: 'text' })
  name: string;

  /** Token subject of the grid worker in charge. */
  @Column({ name: 'grid_worker_subject', type: 'text', nullable: true })
  gridWorkerSubject: string | null;

  @Column({ name: 'grid_worker_name', type: 'text', nullable: true })
  gridWorkerName: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
