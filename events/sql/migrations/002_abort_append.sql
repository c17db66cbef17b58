-- Lets the single-statement append abort itself (and give back the positions it took)
-- when any of its commits hit a unique index: SQLSTATE PA001.
CREATE FUNCTION __SCHEMA__.abort_append(skipped bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'PA001', MESSAGE = format('%s commits hit a unique index; nothing was appended', skipped);
END
$$;
