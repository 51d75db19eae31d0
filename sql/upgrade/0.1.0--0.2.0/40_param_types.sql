/*
 * Parameters of the types drivers send (see sql/install/platform/param_types.sql):
 * numeric -> wad becomes implicit; implicit casts from text and varchar
 * into wad.  The casts into the enums and the overloads of the API
 * functions taking text in place of uuid, jsonb and interval are made by
 * make_driver_overloads(), which 99_end.sql calls once every function and
 * grant of the update is in place, so the overloads copy the final ones.
 */

DROP CAST (numeric AS xphere.wad);
CREATE CAST (numeric AS xphere.wad) WITH FUNCTION xphere.wad(numeric) AS IMPLICIT;

CREATE CAST (text AS xphere.wad) WITH INOUT AS IMPLICIT;
CREATE CAST (character varying AS xphere.wad) WITH INOUT AS IMPLICIT;
