import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common';

/** A user of one tenant. */
export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'User', title: 'User' },
);
export type User = Static<typeof User>;

/** The body of `POST /v1/users`. */
export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

/** The body of `PATCH /v1/users/:id`: at least one field. */
export const UpdateUserBody = Type.Partial(CreateUserBody, { additionalProperties: false, minProperties: 1 });
export type UpdateUserBody = Static<typeof UpdateUserBody>;
