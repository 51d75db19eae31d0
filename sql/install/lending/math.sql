/*
 * Lending math: pure, IMMUTABLE C functions (src/interest.c,
 * src/liquidation.c), callable and tested on their own.  Percentages are
 * basis points (10 000 = 100%); the pool stores them as fractions with
 * four decimals (0.7500) and converts with bps().
 */
CREATE FUNCTION linear_interest(rate ray, seconds bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_linear_interest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_interest(ray, bigint) IS
	'supply-side growth factor: RAY + floor(rate * seconds / 31536000)';
CREATE FUNCTION compounded_interest(rate ray, seconds bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_compounded_interest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION compounded_interest(ray, bigint) IS
	'borrow-side growth factor, Aave''s three-term Taylor expansion of e^(rate * seconds / year)';
CREATE FUNCTION borrow_rate(utilization ray, base ray, slope1 ray, slope2 ray, optimal ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_borrow_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION borrow_rate(ray, ray, ray, ray, ray) IS
	'the kinked borrow-rate curve (slope2 above the optimal utilization, strictly)';
CREATE FUNCTION utilization(scaled_debt wad, borrow_index ray, cash wad) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_utilization' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION utilization(wad, ray, wad) IS
	'rayDiv(debt, cash + debt) with debt = rayMulCeil(scaled_debt, borrow_index); 0 without debt';
CREATE FUNCTION liquidity_rate(borrow_rate ray, utilization ray, reserve_factor_bps integer) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_liquidity_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION liquidity_rate(ray, ray, integer) IS
	'percentMul(rayMul(borrow_rate, utilization), 10000 - reserve_factor_bps)';

DO $$
DECLARE
	t text;
	f text;
BEGIN
	FOREACH t IN ARRAY ARRAY['wad', 'ray'] LOOP
		FOREACH f IN ARRAY ARRAY['percent_mul', 'percent_mul_floor', 'percent_mul_ceil',
								 'percent_div', 'percent_div_floor', 'percent_div_ceil'] LOOP
			EXECUTE pg_catalog.format($f$CREATE FUNCTION xphere.%1$s(value xphere.%2$s, bps integer)
				RETURNS xphere.%2$s AS %3$L, %4$L LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE$f$,
				f, t, 'MODULE_PATHNAME', 'xphere_' || f);
			EXECUTE pg_catalog.format($f$COMMENT ON FUNCTION xphere.%1$s(xphere.%2$s, integer) IS %3$L$f$,
				f, t, 'Aave PercentageMath: value ' ||
				CASE WHEN f LIKE 'percent_mul%' THEN '* bps / 10000' ELSE '* 10000 / bps' END ||
				CASE WHEN f LIKE '%floor' THEN ', rounded down' WHEN f LIKE '%ceil' THEN ', rounded up'
					 ELSE ', half up' END);
		END LOOP;
	END LOOP;
END $$;

CREATE FUNCTION liquidation_amounts(debt wad, collateral wad, price_asset wad,
		price_collateral wad, liquidation_threshold_bps integer, liquidation_bonus_bps integer,
		close_factor_min_base wad, min_leftover_base wad, debt_to_cover wad DEFAULT NULL,
		OUT debt_repaid wad, OUT collateral_seized wad)
	AS 'MODULE_PATHNAME', 'xphere_liquidation_amounts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION liquidation_amounts(wad, wad, wad, wad, integer, integer, wad, wad, wad) IS
	'debt repaid and collateral paid by a liquidation (Aave 3.3+ rules); XP004 if HF >= 1, XP007 if it would leave dust';
