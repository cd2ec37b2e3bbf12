import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 先进典范 — a resident nominated, then recognized (or not), as a model for the site. */
@Entity({ name: 'model_resident' })
export class ModelResident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'resident_id', type: 'uuid' })
  residentId: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  /** e.g. 文明家庭, 好媳妇, 致富带头人, 最美楼栋长 */
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'text' })
  status: 'nominated' | 'recognized' | 'rejected';

  @Column({ name: 'nominated_by', type: 'text' })
  nominatedBy: string;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}
