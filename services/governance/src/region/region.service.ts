import type { DataSource } from 'typeorm';
import { ConflictError, InputError, NotFoundError, requireRole, type Principal, audit } from '@anju/kit';
import { regionLevelOf, type Region } from './region.row';
import { RegionDirectory } from './region-directory';

const COLUMNS = `code, name, level, parent_code AS "parentCode"`;

/** Regions are reference data: every signed-in caller reads them; province officers add them. */
export class RegionService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  children(parentCode: string | null): Promise<Region[]> {
    return RegionDirectory.of(this.db).children(parentCode);
  }

  byCodes(codes: readonly string[]): Promise<Region[]> {
    return RegionDirectory.of(this.db).byCodes(codes);
  }

  async register(input: { code: string; name: string }): Promise<Region> {
    requireRole(this.principal, 'province');
    const shape = regionLevelOf(input.code);
    if (!shape) throw new InputError('input.code', 'A region code has 2, 4 or 6 digits (GB/T 2260).', 'FORMAT');
    if (!this.principal.regions.some((r) => input.code.startsWith(r))) {
      throw new InputError('input.code', 'The region is outside your province.', 'OUT_OF_SCOPE');
    }
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A region name has 1 to 50 characters.');
    return this.db
      .transaction(async (m) => {
        if (shape.parentCode) {
          const [parent] = await m.query(`SELECT 1 FROM region WHERE code = $1`, [shape.parentCode]);
          if (!parent)
            throw new NotFoundError('input.code', `The parent region ${shape.parentCode} is not registered yet.`);
        }
        const rows = await m.query(
          `INSERT INTO region (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
           RETURNING ${COLUMNS}`,
          [input.code, name, shape.level, shape.parentCode],
        );
        if (!rows.length)
          throw new ConflictError('input.code', `Region ${input.code} is already registered.`, 'DUPLICATE');
        await audit(m, this.principal, {
          action: 'region.register',
          entityType: 'Region',
          entityId: input.code,
          regionCode: input.code.length === 6 ? input.code : null,
        });
        return rows[0];
      })
      .finally(() => RegionDirectory.of(this.db).changed());
  }
}
