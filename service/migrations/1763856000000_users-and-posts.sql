-- Up Migration
-- Every row belongs to a tenant; primary keys lead with tenant_id so no index can serve a query across tenants.
CREATE TABLE users (
  tenant_id  text        NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
  id         uuid        NOT NULL DEFAULT gen_random_uuid(),
  email      text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- One account per e-mail address within a tenant, compared case-insensitively.
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email));

CREATE TABLE posts (
  tenant_id  text        NOT NULL,
  id         uuid        NOT NULL DEFAULT gen_random_uuid(),
  author_id  uuid        NOT NULL,
  title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  body       text        NOT NULL CHECK (length(body) <= 100000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- The author must be a user of the same tenant: a post can never point across tenants.
  FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id) ON DELETE RESTRICT
);

-- Keyset pagination: newest first, with id as the tie-breaker, for the whole tenant and for one author.
CREATE INDEX posts_tenant_created_idx ON posts (tenant_id, created_at DESC, id DESC);
CREATE INDEX posts_tenant_author_created_idx ON posts (tenant_id, author_id, created_at DESC, id DESC);

-- Down Migration
DROP TABLE posts;
DROP TABLE users;
