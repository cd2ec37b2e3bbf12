import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 三块地 — a land asset of a household: contracted, forest or homestead land. */
@Entity({ name: 'land_asset' })
export class LandAsset {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) kind: 'contracted' | 'forest' | 'homestead';
  @Column({ name: 'area_mu', type: 'numeric', precision: 12, scale: 2 }) areaMu: string;
  @Column({ type: 'text' }) state: 'idle' | 'leased' | 'pooled';
  @Column({ name: 'annual_income', type: 'numeric', precision: 12, scale: 2 }) annualIncome: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** 产业项目 — an industry project at a site. */
@Entity({ name: 'industry_project' })
export class IndustryProject {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  /** The chosen industry (产业). */
  @Column({ type: 'text' }) industry: string;
  /** 合作社 cooperative, 龙头企业 leading_enterprise, 扶贫车间 workshop. */
  @Column({ name: 'organization_form', type: 'text' }) organizationForm: string;
  @Column({ name: 'policy_support', type: 'text', array: true }) policySupport: string[];
  @Column({ name: 'technical_services', type: 'text', array: true }) technicalServices: string[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 利益联结 — a household's share in an industry project, with its annual dividend. */
@Entity({ name: 'project_link' })
export class ProjectLink {
  @PrimaryColumn({ name: 'project_id', type: 'uuid' }) projectId: string;
  @PrimaryColumn({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ name: 'annual_dividend', type: 'numeric', precision: 12, scale: 2 }) annualDividend: string;
  /** Wages a year from working in the project (务工收入). */
  @Column({ name: 'annual_wage_income', type: 'numeric', precision: 12, scale: 2 }) annualWageIncome: string;
  @Column({ name: 'linked_on', type: 'date' }) linkedOn: string;
}
