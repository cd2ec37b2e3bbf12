export type MicroIssueLevel = 'building_leader' | 'grid_worker' | 'mediation' | 'legal_adviser';
export type MicroIssueOutcome = 'solved' | 'agreement' | 'referred' | 'withdrawn';
