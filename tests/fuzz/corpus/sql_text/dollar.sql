CREATE FUNCTION f() RETURNS trigger AS $body$
BEGIN
  RETURN NEW; -- $x$ inside
END;
$body$ LANGUAGE plpgsql;
/* a /* nested */ comment */ SELECT E'a\'b', $$x$$;