import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 技能培训 — a training course at a site. */
@Entity({ name: 'training_course' })
export class TrainingCourse {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) skill: string;
  @Column({ type: 'text' }) provider: string;
  @Column({ type: 'text' }) place: string;
  @Column({ name: 'starts_on', type: 'date' }) startsOn: string;
  @Column({ name: 'ends_on', type: 'date' }) endsOn: string;
  @Column({ type: 'int' }) capacity: number;
  /** Places taken by enrolled and completed residents. */
  @Column({ type: 'int' }) enrolled: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A resident's place on a course: enrolled → completed | dropped. */
@Entity({ name: 'enrollment' })
export class Enrollment {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId: string;
  @Column({ name: 'resident_id', type: 'uuid' }) residentId: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) status: 'enrolled' | 'completed' | 'dropped';
  @Column({ name: 'attendance_percent', type: 'int', nullable: true }) attendancePercent: number | null;
  @Column({ name: 'completed_on', type: 'date', nullable: true }) completedOn: string | null;
  @Column({ name: 'dropped_reason', type: 'text', nullable: true }) droppedReason: string | null;
  @Column({ name: 'enrolled_at', type: 'timestamptz' }) enrolledAt: Date;
}

/** 职业技能 — a skill a resident mastered, with its certificate. */
@Entity({ name: 'skill' })
export class Skill {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'resident_id', type: 'uuid' }) residentId: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId: string;
  @Column({ name: 'site_id', type: 'uuid' }) siteId: string;
  @Column({ name: 'region_code', type: 'varchar', length: 6 }) regionCode: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) level: string;
  @Column({ name: 'certificate_number', type: 'text', nullable: true }) certificateNumber: string | null;
  @Column({ name: 'certified_on', type: 'date', nullable: true }) certifiedOn: string | null;
  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true }) enrollmentId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
