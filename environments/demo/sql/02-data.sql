-- Kasho demo data: 8 organizations, 240 users, 16 credit cards, 200 invoices. Deterministic (no
-- random(), no now()): the same file gives the same rows everywhere. All values are invented;
-- SSNs use the never-issued 9xx area, card numbers the 4000 test range.

INSERT INTO organizations (name, domain, plan, billing_email, created_at) VALUES
  ('Acme Analytics',    'acme-analytics.com', 'business',   'billing@acme-analytics.com', '2023-02-01 09:00:00+00'),
  ('Bluebird Health',   'bluebird-health.io', 'enterprise', 'ap@bluebird-health.io',      '2023-03-15 10:30:00+00'),
  ('Cobalt Logistics',  'cobaltlogistics.com','team',       'finance@cobaltlogistics.com','2023-05-02 14:00:00+00'),
  ('Driftwood Studio',  'driftwood.studio',   'free',       'hello@driftwood.studio',     '2023-06-20 08:15:00+00'),
  ('Evergreen Legal',   'evergreenlegal.com', 'business',   'accounts@evergreenlegal.com','2023-08-09 16:45:00+00'),
  ('Foxglove Retail',   'foxglove.shop',      'team',       'billing@foxglove.shop',      '2023-10-01 11:00:00+00'),
  ('Granite Insurance', 'granite-ins.com',    'enterprise', 'payables@granite-ins.com',   '2023-11-23 13:20:00+00'),
  ('Harbor Robotics',   'harborrobotics.ai',  'business',   'billing@harborrobotics.ai',  '2024-01-08 07:50:00+00');

INSERT INTO users (organization_id, name, email, phone, password, ssn, street_address, city, role, created_at, updated_at)
SELECT o.id,
       f.first || ' ' || l.last,
       lower(f.first) || '.' || lower(l.last) || s.i || '@' || o.domain,
       '(' || (200 + (s.i * 37) % 800) || ') 555-' || lpad(((s.i * 7919) % 10000)::text, 4, '0'),
       '$2a$10$' || substr(md5('salt' || s.i) || md5('password' || s.i), 1, 53),
       (900 + s.i % 100) || '-' || lpad((1 + (s.i * 31) % 99)::text, 2, '0') || '-' || lpad((1 + (s.i * 7907) % 9999)::text, 4, '0'),
       (100 + (s.i * 53) % 9800) || ' ' || st.street,
       c.city,
       CASE WHEN s.i % 30 = 1 THEN 'owner' WHEN s.i % 10 = 2 THEN 'admin' ELSE 'member' END,
       timestamptz '2024-01-15 09:00:00+00' + s.i * interval '37 hours',
       timestamptz '2024-01-15 09:00:00+00' + s.i * interval '37 hours'
FROM generate_series(1, 240) AS s(i)
JOIN organizations o ON o.id = 1 + (s.i - 1) / 30
CROSS JOIN LATERAL (SELECT (ARRAY['Olivia','Liam','Emma','Noah','Ava','Mateo','Sophia','Lucas','Amara','Ethan',
                                   'Isabella','Kenji','Mia','Omar','Chloe','Diego','Priya','Jonas','Zoe','Malik',
                                   'Hannah','Arjun','Lena','Samuel','Yara','Felix','Grace','Tomas','Nora','Elijah'])[1 + (s.i * 7) % 30] AS first) f
CROSS JOIN LATERAL (SELECT (ARRAY['Garcia','Smith','Nguyen','Johnson','Okafor','Muller','Rossi','Kowalski','Haddad','Brown',
                                   'Tanaka','Silva','Jensen','Dubois','Patel','Lopez','Novak','Kim','Walker','Cohen',
                                   'Fischer','Moreau','Santos','Ivanova','Murphy','Lindqvist','Mendes','Reyes','Clarke'])[1 + (s.i * 11) % 29] AS last) l
CROSS JOIN LATERAL (SELECT (ARRAY['Maple Street','Harbor View Road','Oak Avenue','Cedar Lane','Sunset Boulevard',
                                   'Pine Court','Mill Road','Elm Drive','Lakeside Way','Station Square'])[1 + (s.i * 3) % 10] AS street) st
CROSS JOIN LATERAL (SELECT (ARRAY['Portland','Austin','Denver','Boston','Chicago','Seattle','Atlanta','San Diego',
                                   'Minneapolis','Raleigh','Phoenix','Madison'])[1 + (s.i * 5) % 12] AS city) c
ORDER BY s.i;

INSERT INTO credit_cards (organization_id, cardholder_name, number, brand, exp_month, exp_year, created_at)
SELECT o.id,
       (SELECT u.name FROM users u WHERE u.organization_id = o.id ORDER BY u.id OFFSET k.k - 1 LIMIT 1),
       '4000' || lpad(((o.id * 982451653 + k.k * 15485863) % 1000000000000)::text, 12, '0'),
       'Visa',
       1 + (o.id * 5 + k.k) % 12,
       2026 + (o.id + k.k) % 4,
       o.created_at + k.k * interval '3 days'
FROM organizations o CROSS JOIN generate_series(1, 2) AS k(k)
ORDER BY o.id, k.k;

INSERT INTO invoices (organization_id, credit_card_id, number, amount, currency, status, issued_on, billing_address)
SELECT 1 + s.i % 8,
       (SELECT cc.id FROM credit_cards cc WHERE cc.organization_id = 1 + s.i % 8 ORDER BY cc.id LIMIT 1),
       'INV-2024-' || lpad(s.i::text, 5, '0'),
       round((49 + (s.i * 7919) % 4950) + ((s.i * 37) % 100) / 100.0, 2),
       'USD',
       (ARRAY['paid', 'paid', 'paid', 'open', 'void', 'paid', 'draft', 'paid'])[1 + s.i % 8],
       date '2024-01-31' + s.i * 2,
       (100 + (s.i * 97) % 9800) || ' ' || (ARRAY['Market Street','Commerce Drive','Industrial Parkway','King Street'])[1 + s.i % 4]
         || ', ' || (ARRAY['Portland, OR','Austin, TX','Denver, CO','Boston, MA','Chicago, IL'])[1 + s.i % 5]
FROM generate_series(1, 200) AS s(i)
ORDER BY s.i;
