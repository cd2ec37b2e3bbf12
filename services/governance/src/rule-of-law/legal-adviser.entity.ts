import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 法律顾问 / 公职律师 — a legal adviser or public lawyer serving sites of a county. */
@Entity({ name: 'legal_adviser' })
export class LegalAdviser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: 'legal_adviser' | 'public_lawyer';

  @Column({ type: 'text', nullable: true })
  organization: string | null;
}
