CREATE TABLE "my table" (id INTEGER PRIMARY KEY, [x y] TEXT, `z` INT CHECK (z > 0));
CREATE INDEX ix ON "my table" (lower("x y") DESC) WHERE z IS NOT NULL;