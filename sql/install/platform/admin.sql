/*
 * Administration: settings, machine plans and prices, validated and
 * written to audit_log with old and new values.  Parameters arrive as
 * jsonb objects whose values are strings (exact decimals) or numbers; an
 * unknown key or an invalid value is 22023 and changes nothing.  A session
 * pinned to a platform user needs that user to be an admin
 * (authorize_admin()).
 */

/* a jsonb value as text: strings as they are, numbers in their exact form */
CREATE FUNCTION xphere_internal.param_text(params jsonb, key text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := params -> key;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(v) NOT IN ('string', 'number', 'boolean') THEN
		RAISE EXCEPTION 'parameter "%" must be a string or a number', key USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v #>> '{}';
END $$;
COMMENT ON FUNCTION xphere_internal.param_text(jsonb, text) IS 'a parameter value as text; 22023 for objects and arrays';

CREATE FUNCTION xphere_internal.param_wad(params jsonb, key text, min_value wad DEFAULT NULL,
						  min_exclusive boolean DEFAULT false) RETURNS wad
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere_internal.param_text(params, key);
	v xphere.wad;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::xphere.wad;
	EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
		RAISE EXCEPTION 'parameter "%" is not a valid amount: "%"', key, left(t, 100)
			USING ERRCODE = 'invalid_parameter_value';
	END;
	IF min_value IS NOT NULL AND (v < min_value OR (min_exclusive AND v = min_value)) THEN
		RAISE EXCEPTION 'parameter "%" must be % %', key,
			CASE WHEN min_exclusive THEN '>' ELSE '>=' END, min_value
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION xphere_internal.param_wad(jsonb, text, wad, boolean) IS 'a parameter as wad, with an optional lower bound; 22023 if invalid';

CREATE FUNCTION xphere_internal.param_bool(params jsonb, key text) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere_internal.param_text(params, key);
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	IF lower(t) IN ('true', 'false') THEN
		RETURN lower(t)::boolean;
	END IF;
	RAISE EXCEPTION 'parameter "%" must be true or false', key USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION xphere_internal.param_bool(jsonb, text) IS 'a parameter as boolean; 22023 unless true or false';

CREATE FUNCTION xphere_internal.check_param_keys(params jsonb, allowed text[]) RETURNS void
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	IF params IS NULL THEN
		PERFORM xphere_internal.raise_null('params');
	END IF;
	IF jsonb_typeof(params) <> 'object' THEN
		RAISE EXCEPTION 'params must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT min(x) INTO k FROM jsonb_object_keys(params) AS x WHERE x <> ALL (allowed);
	IF k IS NOT NULL THEN
		RAISE EXCEPTION 'unknown parameter "%"', k USING ERRCODE = 'invalid_parameter_value',
			HINT = pg_catalog.format('Known parameters: %s.', array_to_string(allowed, ', '));
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.check_param_keys(jsonb, text[]) IS '22023 for a non-object or an unknown key';

-- settings ------------------------------------------------------------------

CREATE FUNCTION set_setting(key text, value text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.settings;
	v_norm text;
BEGIN
	PERFORM xphere_internal.check_text(key, 'key', 100);
	PERFORM xphere_internal.check_text(value, 'value', 100);
	SELECT * INTO s FROM xphere.settings x WHERE x.key = set_setting.key FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown setting "%"', key USING ERRCODE = 'invalid_parameter_value',
			HINT = (SELECT 'Known settings: ' || string_agg(x.key, ', ' ORDER BY x.key) || '.'
					FROM xphere.settings x);
	END IF;
	BEGIN
		CASE s.kind
			WHEN 'wad' THEN
				v_norm := value::xphere.wad::text;
				IF v_norm::xphere.wad < 0 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'bps' THEN
				v_norm := value::integer::text;
				IF v_norm::integer NOT BETWEEN 0 AND 10000 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'integer' THEN
				v_norm := value::integer::text;
				IF key = 'password_hash_cost' AND v_norm::integer NOT BETWEEN 4 AND 15
					OR key = 'distribution_batch' AND v_norm::integer NOT BETWEEN 1 AND 10000000 THEN
					RAISE numeric_value_out_of_range;
				END IF;
			WHEN 'interval' THEN
				v_norm := value::interval::text;
				IF v_norm::interval < interval '0'
					OR (key IN ('price_max_age', 'distribution_interval', 'distribution_tick_time')
						AND v_norm::interval = interval '0')
					OR v_norm::interval > interval '3650 days' THEN
					RAISE numeric_value_out_of_range;
				END IF;
		END CASE;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'invalid value "%" for setting "%"', left(value, 100), key
			USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.format('%s is a setting of kind %s.', key, s.kind);
	END;
	PERFORM xphere_internal.authorize_admin();
	UPDATE xphere.settings x SET value = v_norm WHERE x.key = s.key;
	PERFORM xphere_internal.audit('set_setting', 'setting', key,
		jsonb_build_object('value', s.value), jsonb_build_object('value', v_norm));
END $$;
COMMENT ON FUNCTION set_setting(text, text) IS 'changes a platform setting, validated by its kind; audited';

-- machine plans ----------------------------------------------------------------

CREATE FUNCTION xphere_internal.param_hashrate(params jsonb, key text) RETURNS integer
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := params -> key;
	t text := v #>> '{}';
	valid boolean;
BEGIN
	valid := CASE jsonb_typeof(v)
		WHEN 'number' THEN t::numeric = trunc(t::numeric) AND t::numeric BETWEEN 1 AND 2147483647
		WHEN 'string' THEN t ~ '^[0-9]{1,10}$' AND t::bigint BETWEEN 1 AND 2147483647
		ELSE false END;
	IF valid THEN
		RETURN t::numeric::integer;
	END IF;
	RAISE EXCEPTION 'parameter "%" must be a whole number of TH/s above 0: %', key, left(coalesce(v::text, 'null'), 100)
		USING ERRCODE = 'invalid_parameter_value',
		HINT = 'Give a JSON number or a string of digits, e.g. {"hashrate": 55}.';
END $$;
COMMENT ON FUNCTION xphere_internal.param_hashrate(jsonb, text) IS
	'a hashrate parameter in TH/s: a JSON number or a string of digits, 1 to 2147483647; 22023 otherwise';

CREATE FUNCTION xphere_internal.plan_keys() RETURNS text[]
	LANGUAGE sql IMMUTABLE
	RETURN ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp',
				 'description', 'image_url', 'is_active'];
COMMENT ON FUNCTION xphere_internal.plan_keys() IS 'the parameters of a machine plan';

/* a plan row with the given parameters applied, validated */
CREATE FUNCTION xphere_internal.apply_plan_params(p machine_plans, params jsonb) RETURNS machine_plans
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text;
BEGIN
	PERFORM xphere_internal.check_param_keys(params, xphere_internal.plan_keys());
	FOREACH t IN ARRAY ARRAY['name', 'machine_name', 'description', 'image_url'] LOOP
		IF params ? t AND (xphere_internal.param_text(params, t) IS NULL
			AND t NOT IN ('description', 'image_url')
			OR length(xphere_internal.param_text(params, t)) > CASE t
				WHEN 'description' THEN 1000 WHEN 'image_url' THEN 1000 ELSE 100 END
			OR length(btrim(xphere_internal.param_text(params, t))) = 0) THEN
			RAISE EXCEPTION 'invalid value for parameter "%"', t USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	IF params ? 'name' THEN p.name := xphere_internal.param_text(params, 'name'); END IF;
	IF params ? 'machine_name' THEN p.machine_name := xphere_internal.param_text(params, 'machine_name'); END IF;
	IF params ? 'hashrate' THEN p.hashrate := xphere_internal.param_hashrate(params, 'hashrate'); END IF;
	IF params ? 'description' THEN p.description := xphere_internal.param_text(params, 'description'); END IF;
	IF params ? 'image_url' THEN p.image_url := xphere_internal.param_text(params, 'image_url'); END IF;
	IF params ? 'price_usdt' THEN
		p.price_usdt := coalesce(xphere_internal.param_wad(params, 'price_usdt', 0, true), 0);
		IF p.price_usdt <= 0 THEN
			RAISE EXCEPTION 'parameter "price_usdt" must be > 0' USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	IF params ? 'daily_return_xp' THEN
		p.daily_return_xp := xphere_internal.param_wad(params, 'daily_return_xp', 0);
		IF p.daily_return_xp IS NULL THEN
			RAISE EXCEPTION 'parameter "daily_return_xp" must not be null' USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	IF params ? 'is_active' THEN
		p.is_active := coalesce(xphere_internal.param_bool(params, 'is_active'), true);
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.apply_plan_params(machine_plans, jsonb) IS 'validates plan parameters onto a plan row';

CREATE FUNCTION create_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	k text;
BEGIN
	PERFORM xphere_internal.check_text(plan_id, 'plan_id', 32);
	IF plan_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid plan id "%"', plan_id USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A plan id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	p := xphere_internal.apply_plan_params(p, params);
	FOREACH k IN ARRAY ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp'] LOOP
		IF NOT params ? k THEN
			RAISE EXCEPTION 'parameter "%" is required', k USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	p.id := plan_id;
	p.is_active := coalesce(p.is_active, true);
	p.created_at := xphere.now();
	p.updated_at := xphere.now();
	PERFORM xphere_internal.authorize_admin();
	IF EXISTS (SELECT 1 FROM xphere.machine_plans x WHERE x.id = plan_id) THEN
		RAISE EXCEPTION 'machine plan "%" already exists', plan_id USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO xphere.machine_plans SELECT p.*;
	PERFORM xphere_internal.audit('create_plan', 'machine_plan', plan_id, NULL, to_jsonb(p));
END $$;
COMMENT ON FUNCTION create_plan(text, jsonb) IS 'adds a machine plan; 23505 if the id exists; audited';

CREATE FUNCTION update_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.machine_plans;
	p xphere.machine_plans;
BEGIN
	PERFORM xphere_internal.check_text(plan_id, 'plan_id', 32);
	PERFORM xphere_internal.check_param_keys(params, xphere_internal.plan_keys());
	SELECT * INTO old FROM xphere.machine_plans x WHERE x.id = plan_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown machine plan "%"', plan_id USING ERRCODE = 'invalid_parameter_value';
	END IF;
	p := xphere_internal.apply_plan_params(old, params);
	PERFORM xphere_internal.authorize_admin();
	UPDATE xphere.machine_plans x SET name = p.name, machine_name = p.machine_name,
		price_usdt = p.price_usdt, hashrate = p.hashrate, daily_return_xp = p.daily_return_xp,
		description = p.description, image_url = p.image_url, is_active = p.is_active
	WHERE x.id = plan_id;
	PERFORM xphere_internal.audit('update_plan', 'machine_plan', plan_id, to_jsonb(old), to_jsonb(p));
END $$;
COMMENT ON FUNCTION update_plan(text, jsonb) IS
	'changes a machine plan (machines already bought keep their daily return); audited';

-- prices ----------------------------------------------------------------------

CREATE FUNCTION set_price(asset text, price_usdt wad, source text DEFAULT 'manual') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_old xphere.wad;
BEGIN
	PERFORM xphere_internal.check_text(asset, 'asset', 10);
	PERFORM xphere_internal.check_amount(price_usdt, 'price_usdt');
	PERFORM xphere_internal.check_text(source, 'source', 100);
	IF length(btrim(source)) = 0 THEN
		RAISE EXCEPTION 'source must not be empty' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF asset = 'USDT' THEN
		RAISE EXCEPTION 'the price of USDT cannot be set' USING ERRCODE = 'invalid_parameter_value',
			DETAIL = 'USDT is the base currency; its price is always 1.';
	END IF;
	IF asset <> 'XP' THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	SELECT p.price_usdt INTO v_old FROM xphere.prices p
	WHERE p.asset = set_price.asset ORDER BY p.created_at DESC, p.id DESC LIMIT 1;
	INSERT INTO xphere.prices (asset, price_usdt, source) VALUES (asset, price_usdt, source);
	PERFORM xphere_internal.audit('set_price', 'price', asset,
		jsonb_build_object('price_usdt', v_old), jsonb_build_object('price_usdt', price_usdt, 'source', source));
	/* stored health factors of the positions at risk follow the price */
	PERFORM xphere.refresh_positions_at_risk();
END $$;
COMMENT ON FUNCTION set_price(text, wad, text) IS 'records a new price of an asset in USDT; audited';

CREATE FUNCTION xphere_internal.price(p_asset currency, p_max_age interval DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.prices;
BEGIN
	IF p_asset = 'USDT' THEN
		RETURN 1;
	END IF;
	SELECT * INTO p FROM xphere.prices x
	WHERE x.asset = p_asset::text ORDER BY x.created_at DESC, x.id DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no price for %', p_asset USING ERRCODE = xphere_internal.errcode('stale_price');
	END IF;
	IF p_max_age IS NOT NULL AND p.created_at < xphere.now() - p_max_age THEN
		RAISE EXCEPTION 'the price of % is stale', p_asset USING ERRCODE = xphere_internal.errcode('stale_price'),
			DETAIL = pg_catalog.format('Last set at %s, older than %s.', p.created_at, p_max_age);
	END IF;
	RETURN p.price_usdt;
END $$;
COMMENT ON FUNCTION xphere_internal.price(currency, interval) IS 'latest price in USDT; XP005 if missing or older than max_age';
