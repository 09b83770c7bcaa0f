-- strata: no-transaction
-- up
CREATE INDEX CONCURRENTLY ix_users_email ON users (email);
-- down
DROP INDEX CONCURRENTLY ix_users_email;
