-- Kasho demo: a small SaaS schema with the kind of columns a replica must never receive in clear
-- (names, emails, phones, password hashes, SSNs, addresses, card numbers).
-- Run on the SOURCE after pg-change-stream has created its slot: the DDL and the rows then reach the
-- target through Kasho itself (the target starts empty). One statement per line group, no
-- semicolons inside literals: the npm demo splits this file on statement ends.

CREATE TABLE organizations (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL,
  domain        text NOT NULL UNIQUE,
  plan          text NOT NULL CHECK (plan IN ('free', 'team', 'business', 'enterprise')),
  billing_email text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id              bigserial PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  name            text NOT NULL,
  email           text NOT NULL UNIQUE,
  phone           text,
  password        text NOT NULL,
  ssn             text,
  street_address  text,
  city            text,
  role            text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_organization_id_idx ON users (organization_id);

CREATE TABLE credit_cards (
  id              bigserial PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  cardholder_name text NOT NULL,
  number          text NOT NULL,
  brand           text NOT NULL,
  exp_month       smallint NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year        smallint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
  id              bigserial PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  credit_card_id  bigint REFERENCES credit_cards (id),
  number          text NOT NULL UNIQUE,
  amount          numeric(10, 2) NOT NULL,
  currency        char(3) NOT NULL DEFAULT 'USD',
  status          text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
  issued_on       date NOT NULL,
  billing_address text
);
CREATE INDEX invoices_organization_id_idx ON invoices (organization_id);
