SELECT 1;
-- up
-- down
-- up
