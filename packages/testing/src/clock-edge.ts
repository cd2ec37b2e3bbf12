/**
 * Jest setup file of the clock-edge projects (`pnpm test --clock-edges`): holds this test file's
 * clock at its project's edge. Jest gives every test file a copy of the environment, so the edge set
 * here is seen by this file alone, while the other projects of the same run keep theirs.
 */
const edge = (globalThis as { ANJU_CLOCK_AT?: unknown }).ANJU_CLOCK_AT;
if (typeof edge !== 'string') throw new Error('a clock-edge project names its instant in globals.ANJU_CLOCK_AT');
process.env.CLOCK_AT = edge;
