import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type LabourCapacity = 'full' | 'weak' | 'none';
export type RelationToHead = 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';

/**
 * 居民 — a resettled resident. The ID number and phone are sealed (AES-256-GCM) with a keyed
 * hash for lookup; only their masked forms are ever read back by the API.
 */
@Entity({ name: 'resident' })
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId: string;

  /** Denormalized from the household, so scope filters need no join. */
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'national_id_sealed', type: 'bytea', select: false })
  nationalIdSealed: Buffer;

  @Column({ name: 'national_id_hash', type: 'bytea', select: false })
  nationalIdHash: Buffer;

  @Column({ name: 'national_id_masked', type: 'text' })
  nationalIdMasked: string;

  @Column({ name: 'phone_sealed', type: 'bytea', nullable: true, select: false })
  phoneSealed: Buffer | null;

  @Column({ name: 'phone_masked', type: 'text', nullable: true })
  phoneMasked: string | null;

  @Column({ type: 'text' })
  gender: 'male' | 'female';

  @Column({ name: 'birth_date', type: 'date' })
  birthDate: string;

  @Column({ type: 'text' })
  ethnicity: string;

  @Column({ name: 'labour_capacity', type: 'text' })
  labourCapacity: LabourCapacity;

  @Column({ name: 'can_work_away', type: 'boolean' })
  canWorkAway: boolean;

  @Column({ name: 'wants_work', type: 'boolean' })
  wantsWork: boolean;

  @Column({ name: 'relation_to_head', type: 'text' })
  relationToHead: RelationToHead;

  @Column({ name: 'moved_in_on', type: 'date', nullable: true })
  movedInOn: string | null;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt: Date;
}
