import { isoTimestamp } from '../../../db/sql';
import type { Queryable } from '../../../db/queryable';
import { HttpError } from '../../../http-error';
import type { CreateUserBody, UpdateUserBody, User } from '../../../schemas/users';
import type { Databases } from '../../external/pg-pools';
import type { ReadOptions } from '../read-options';

const USER_COLUMNS = `id, email, name, ${isoTimestamp('created_at')} AS created_at, ${isoTimestamp('updated_at')} AS updated_at`;
const UNIQUE_VIOLATION = '23505';

/** Reads and writes users, always within one tenant. */
export class UsersRepository {
  constructor(private readonly db: Databases) {}

  /** The user with this id in the tenant, or `undefined`. */
  async findById(tenantId: string, id: string, options: ReadOptions): Promise<User | undefined> {
    const rows = await this.db
      .forRead(options)
      .query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0];
  }

  /** Creates a user; a second user with the same e-mail in the tenant is a 409 `email_taken`. */
  async create(on: Queryable, tenantId: string, input: CreateUserBody): Promise<User> {
    try {
      const rows = await on.query<User>(
        `INSERT INTO users (tenant_id, email, name) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
        [tenantId, input.email, input.name],
      );
      return rows[0];
    } catch (error) {
      throw asEmailTaken(error);
    }
  }

  /** Changes the given fields of a user; `undefined` when there is no such user in the tenant. */
  async update(
    on: Queryable,
    tenantId: string,
    id: string,
    patch: UpdateUserBody,
  ): Promise<User | undefined> {
    try {
      const rows = await on.query<User>(
        `UPDATE users SET email = COALESCE($3, email), name = COALESCE($4, name), updated_at = now()
         WHERE tenant_id = $1 AND id = $2
         RETURNING ${USER_COLUMNS}`,
        [tenantId, id, patch.email ?? null, patch.name ?? null],
      );
      return rows[0];
    } catch (error) {
      throw asEmailTaken(error);
    }
  }
}

function asEmailTaken(error: unknown): unknown {
  return (error as { code?: string }).code === UNIQUE_VIOLATION
    ? new HttpError(409, 'email_taken', 'a user with this email already exists in this tenant')
    : error;
}
