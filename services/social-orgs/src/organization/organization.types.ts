export type OrganizationKind = 'professional' | 'public_welfare' | 'mutual_aid';
export type IncubationStage = 'applied' | 'incubating' | 'registered' | 'graduated';
