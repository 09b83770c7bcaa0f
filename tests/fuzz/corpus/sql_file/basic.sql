-- the first table
-- up
CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE);
-- down
DROP TABLE users;
