import type { IncubationStage } from '../organization/organization.types';

/**
 * 孵化 — the incubation lifecycle: an organization applies, is incubated with government support,
 * registers with civil affairs, and graduates. One step at a time, forwards only.
 */
export const INCUBATION_NEXT: Record<IncubationStage, IncubationStage | null> = {
  applied: 'incubating',
  incubating: 'registered',
  registered: 'graduated',
  graduated: null,
};

export function canAdvance(from: IncubationStage, to: IncubationStage): boolean {
  return INCUBATION_NEXT[from] === to;
}
