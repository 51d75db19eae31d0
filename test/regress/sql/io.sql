-- Text and binary input/output of wad (scale 10^18) and ray (scale 10^27).
-- Every expected value was computed independently (Python fractions); each
-- check prints what it got and "ok" = t when it matches.
SET search_path = public, xphere;
-- pg_temp.try(), pg_temp.agrees(), pg_temp.sqlstate_of()
\ir test/lib/regress.sql

-- Valid wad text: max/min (+-(2^127-1) raw), one raw unit past (-2^127 raw
-- included) is 22003, 19th fractional digit rounds half away from zero (also
-- at the limits), exponent forms, leading zeros, surrounding whitespace, and
-- output with trailing fractional zeros trimmed.
SELECT to_json(input) AS input, got, pg_temp.agrees(got, want) AS ok
FROM (VALUES
 ('0', '0'), ('-0', '0'), ('1', '1'), ('-1.5', '-1.5'), ('100', '100'), ('100.000', '100'),
 ('00001.5000', '1.5'), ('-0.10', '-0.1'), ('0.000000000000000001', '0.000000000000000001'),
 ('170141183460469231731.687303715884105727', '170141183460469231731.687303715884105727'),
 ('-170141183460469231731.687303715884105727', '-170141183460469231731.687303715884105727'),
 ('170141183460469231731.687303715884105728', 'ERROR 22003'),
 ('-170141183460469231731.687303715884105728', 'ERROR 22003'),
 ('170141183460469231731.6873037158841057274', '170141183460469231731.687303715884105727'),
 ('170141183460469231731.6873037158841057275', 'ERROR 22003'),
 ('-170141183460469231731.6873037158841057274', '-170141183460469231731.687303715884105727'),
 ('-170141183460469231731.6873037158841057275', 'ERROR 22003'),
 ('170141183460469231732', 'ERROR 22003'), ('1e20', '100000000000000000000'),
 ('1e21', 'ERROR 22003'), ('1e400', 'ERROR 22003'),
 ('0.123456789012345678', '0.123456789012345678'), ('0.1234567890123456785', '0.123456789012345679'),
 ('-0.1234567890123456785', '-0.123456789012345679'), ('0.12345678901234567849999', '0.123456789012345678'),
 ('0.0000000000000000005', '0.000000000000000001'), ('-0.0000000000000000005', '-0.000000000000000001'),
 ('0.0000000000000000025', '0.000000000000000003'), ('-0.0000000000000000025', '-0.000000000000000003'),
 ('0.0000000000000000004999999', '0'), ('-0.0000000000000000004999999', '0'),
 ('1.99999999999999999950', '2'), ('1e-3', '0.001'), ('1E-3', '0.001'), ('1e+3', '1000'),
 ('1E+3', '1000'), ('.5', '0.5'), ('5.', '5'), ('+1', '1'), ('-.5', '-0.5'), ('+.5e1', '5'),
 ('2.5e-1', '0.25'), ('15e-1', '1.5'), ('5e-19', '0.000000000000000001'),
 ('-5e-19', '-0.000000000000000001'), ('4.9e-19', '0'), ('1e-400', '0'), ('0e30', '0'),
 ('0.00000000000000000000000000000000000001e38', '1'),
 ('000000000000000000000000000000000000000000001', '1'),
 (' 1.5', '1.5'), ('1.5 ', '1.5'), (E'\t1.5\n', '1.5'), (E'\n -2 \t', '-2'), (E'\r\f\x0b1\r', '1')
) v(input, want), LATERAL pg_temp.try(format('%L::wad', input)) got;

-- Valid ray text: the same boundaries at 27 decimals (28th digit rounds half
-- away from zero), trimming and whitespace.
SELECT to_json(input) AS input, got, pg_temp.agrees(got, want) AS ok
FROM (VALUES
 ('0', '0'), ('1', '1'), ('-1.5', '-1.5'),
 ('170141183460.469231731687303715884105727', '170141183460.469231731687303715884105727'),
 ('-170141183460.469231731687303715884105727', '-170141183460.469231731687303715884105727'),
 ('170141183460.469231731687303715884105728', 'ERROR 22003'),
 ('-170141183460.469231731687303715884105728', 'ERROR 22003'),
 ('170141183460.4692317316873037158841057274', '170141183460.469231731687303715884105727'),
 ('170141183460.4692317316873037158841057275', 'ERROR 22003'),
 ('-170141183460.4692317316873037158841057274', '-170141183460.469231731687303715884105727'),
 ('-170141183460.4692317316873037158841057275', 'ERROR 22003'),
 ('170141183461', 'ERROR 22003'), ('1e11', '100000000000'), ('1e12', 'ERROR 22003'),
 ('0.000000000000000000000000001', '0.000000000000000000000000001'),
 ('0.0000000000000000000000000005', '0.000000000000000000000000001'),
 ('-0.0000000000000000000000000005', '-0.000000000000000000000000001'),
 ('0.00000000000000000000000000049', '0'),
 ('1.0000000000000000000000000015', '1.000000000000000000000000002'),
 ('-1.0000000000000000000000000015', '-1.000000000000000000000000002'),
 ('1.000000000000000000000000000', '1'), ('-0.500000000000000000000000000000', '-0.5'),
 (' 1e-27 ', '0.000000000000000000000000001'), (E'\t-2.5e-27\n', '-0.000000000000000000000000003')
) v(input, want), LATERAL pg_temp.try(format('%L::ray', input)) got;

-- Malformed text is 22P02 for both types: empty, blanks, garbage, NaN,
-- infinity, a bare exponent, a lone dot or sign, double signs, and so on.
SELECT typ, to_json(input) AS input, got, pg_temp.agrees(got, 'ERROR 22P02') AS ok
FROM unnest(ARRAY['', ' ', 'abc', 'NaN', 'nan', 'infinity', 'Infinity', '-infinity', 'inf',
  '1e', '1e+', 'e5', '.', '-', '+', '--1', '+-1', '- 1', '1.2.3', '1 2', '1,5', '0x10',
  '1e5.5', '1_000', '.e1']) input,
 (VALUES ('wad'), ('ray')) t(typ), LATERAL pg_temp.try(format('%L::%s', input, typ)) got;

-- The error messages name the type and echo the input.
SELECT 'abc'::wad;
SELECT '--1'::ray;
SELECT '170141183460469231731.687303715884105728'::wad;
SELECT '-170141183460.469231731687303715884105728'::ray;

-- Binary output: 16 bytes, big-endian two's complement of the raw units.
SELECT typ, txt, got, got = want::bytea AS ok
FROM (VALUES ('wad', '0', '\x00000000000000000000000000000000'),
 ('wad', '1', '\x00000000000000000de0b6b3a7640000'), ('wad', '-1', '\xfffffffffffffffff21f494c589c0000'),
 ('wad', '0.000000000000000001', '\x00000000000000000000000000000001'),
 ('wad', '-0.000000000000000001', '\xffffffffffffffffffffffffffffffff'),
 ('wad', '170141183460469231731.687303715884105727', '\x7fffffffffffffffffffffffffffffff'),
 ('wad', '-170141183460469231731.687303715884105727', '\x80000000000000000000000000000001'),
 ('ray', '1', '\x00000000033b2e3c9fd0803ce8000000'),
 ('ray', '-0.000000000000000000000000001', '\xffffffffffffffffffffffffffffffff'),
 ('ray', '-170141183460.469231731687303715884105727', '\x80000000000000000000000000000001')
) v(typ, txt, want),
 LATERAL (SELECT CASE typ WHEN 'wad' THEN wad_send(txt::wad) ELSE ray_send(txt::ray) END) s(got);

-- Binary input: a COPY BINARY file built by hand (signature, flags, header
-- extension, per row: 1 field of 16 bytes; trailer -1) is read back exactly,
-- and COPY BINARY of the loaded rows writes the very same bytes.
CREATE TEMP TABLE copy_bin(file text, rows bytea[]);
INSERT INTO copy_bin VALUES
 ('xphere_io_ok.bin', ARRAY['\x00000000000000000de0b6b3a7640000', '\xfffffffffffffffff21f494c589c0000',
   '\xffffffffffffffffffffffffffffffff', '\x7fffffffffffffffffffffffffffffff',
   '\x80000000000000000000000000000001']::bytea[]),
 ('xphere_io_min.bin', ARRAY['\x80000000000000000000000000000000']::bytea[]);
CREATE TEMP VIEW copy_file AS SELECT file,
 '\x5047434f50590aff0d0a000000000000000000'::bytea
 || (SELECT string_agg('\x000100000010'::bytea || r, ''::bytea) FROM unnest(rows) r)
 || '\xffff'::bytea AS bytes FROM copy_bin;
CREATE TEMP TABLE copy_lo AS SELECT file, lo_from_bytea(0, bytes) AS o FROM copy_file;
SELECT file, lo_export(o, current_setting('data_directory') || '/' || file) = 1
   AND lo_unlink(o) = 1 AS ok FROM copy_lo;
CREATE TEMP TABLE wad_bin(w wad);
COPY wad_bin FROM 'xphere_io_ok.bin' WITH (FORMAT binary);
SELECT string_agg(w::text, ' ') AS got, string_agg(w::text, ' ') = '1 -1 -0.000000000000000001 '
 '170141183460469231731.687303715884105727 -170141183460469231731.687303715884105727' AS ok FROM wad_bin;
DO $$ BEGIN EXECUTE format('COPY wad_bin TO %L WITH (FORMAT binary)',
  current_setting('data_directory') || '/xphere_io_out.bin'); END $$;
SELECT pg_read_binary_file('xphere_io_out.bin') = bytes AS ok FROM copy_file WHERE file = 'xphere_io_ok.bin';

-- Binary input of -2^127 raw units is out of range (22003) for wad and ray.
CREATE TEMP TABLE ray_bin(r ray);
SELECT tab, got, got = '22003' AS ok FROM unnest(ARRAY['wad_bin', 'ray_bin']) tab,
 LATERAL pg_temp.sqlstate_of(format('COPY %s FROM %L WITH (FORMAT binary)', tab, 'xphere_io_min.bin')) got;
-- the message for -2^127 raw units in binary input
COPY ray_bin FROM 'xphere_io_min.bin' WITH (FORMAT binary);
