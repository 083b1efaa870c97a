import type { QueryDeepPartialEntity } from 'typeorm';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * INSERT without reading the row back. `em.insert` re-SELECTs every inserted row on SQLite to fill
 * in database defaults (created_at, …) on the passed objects; callers that never look at those
 * values pay one query per insert for nothing (a checkout did five). Subscribers still fire.
 */
export async function insertRows<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[],
): Promise<void> {
  await em.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
}
