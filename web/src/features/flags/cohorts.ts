import type { Cohort } from '../../api/generated';

/** Every cohort, in the order the admin pages list them (`flags.cohorts.<name>` labels them). */
export const COHORTS: Cohort[] = ['general', 'beta'];
