export type GridTaskStatus = 'open' | 'done' | 'closed';
