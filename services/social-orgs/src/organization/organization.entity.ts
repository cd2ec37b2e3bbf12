import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OrganizationKind = 'professional' | 'public_welfare' | 'mutual_aid';
export type IncubationStage = 'applied' | 'incubating' | 'registered' | 'graduated';

/** 社会组织 — a partner social organization (专业性/公益性/互助性). */
@Entity({ name: 'organization' })
export class SocialOrganization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  /** 孵化 stage. */
  @Column({ type: 'text' })
  stage: IncubationStage;

  @Column({ name: 'service_region_codes', type: 'text', array: true })
  serviceRegionCodes: string[];

  /** 统一社会信用代码. */
  @Column({ name: 'credit_code', type: 'text', nullable: true })
  creditCode: string | null;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt: Date;
}
