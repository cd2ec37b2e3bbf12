/**
 * Jest global setup: fixes the run id (`TEST_RUN`, read from `ANJU_TEST_RUN` by every worker
 * jest starts after this) and records when the run began.
 */
import { TEST_RUN } from './database';

export default function globalSetup(): void {
  process.env.ANJU_TEST_RUN = TEST_RUN;
}
