import type { UnitKind } from './unit.service';
