import { LabourProfile } from './labour-profile/labour-profile.entity';
import { migrations } from './migrations';

/** Employment's tables live in the `employment` schema. */
export const employmentData = { schema: 'employment', entities: [LabourProfile], migrations };
