import type { PersonalDataVault } from '@anju/kit';
import type { SchemaWriter } from './copy';
import { sitePeople, type SitePeople, type SitePlan, type World } from './world';

/**
 * One module per service: it writes only that service's tables (through a writer bound to the
 * service's schema), after that service's own migrations ran. A table that has not landed yet
 * is skipped (the writer reports which exist), so the generator keeps working while services grow.
 */
export interface SeedContext {
  world: World;
  vault: PersonalDataVault;
  log: (message: string) => void;
}

export interface ServiceSeeder {
  service: string;
  /** The service's data-source export (`src/data-source.ts`): schema, migrations. */
  data: { schema: string; migrations: (new () => unknown)[]; runtimeRole?: string };
  /** Writes the service's rows; returns rows written per table. */
  write(ctx: SeedContext, db: SchemaWriter): Promise<Record<string, number>>;
}

/** Every site with its people, generated again on each walk (the same for the same seed). */
export function* eachSite(world: World): Generator<{ site: SitePlan; people: SitePeople }> {
  for (const site of world.sites) yield { site, people: sitePeople(world, site) };
}
