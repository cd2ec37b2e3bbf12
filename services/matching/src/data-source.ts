import { Demand } from './demand/demand.entity';
import { migrations } from './migrations';

/** Matching's tables live in the `matching` schema. */
export const matchingData = { schema: 'matching', entities: [Demand], migrations };
