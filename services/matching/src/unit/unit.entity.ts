import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UnitKind } from './unit.service';

/** 区域单位 — a regional unit (party organization, department, enterprise, social organization) that claims demands. */
@Entity({ name: 'unit' })
export class Unit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: UnitKind;

  /** GB/T 2260 region codes (prefixes) it works in. */
  @Column({ type: 'text', array: true })
  regions: string[];

  @Column({ name: 'registered_by', type: 'text' })
  registeredBy: string;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt: Date;
}
