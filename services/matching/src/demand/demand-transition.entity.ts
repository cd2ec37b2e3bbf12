import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One timed step of a demand's lifecycle (who moved it, from which status to which). */
@Entity({ name: 'demand_transition' })
export class DemandTransition {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'demand_id', type: 'uuid' })
  demandId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'by_subject', type: 'text' })
  bySubject: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
