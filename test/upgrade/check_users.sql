-- the columns the update adds to users: nobody has confirmed an email
-- address yet, and nobody is anonymised (0.1.0 could deactivate no one)
SELECT CASE WHEN count(*) > 0 AND bool_and(NOT email_verified) THEN 'ok - ' ELSE 'not ok - ' END
	|| 'every user of 0.1.0 starts with email_verified false'
FROM xphere.users;
SELECT CASE WHEN count(*) > 0 AND bool_and(anonymised_at IS NULL) THEN 'ok - ' ELSE 'not ok - ' END
	|| 'no user of 0.1.0 is anonymised'
FROM xphere.users;
-- the house and the pool and staking accounts keep their role under its new name
SELECT CASE WHEN count(*) = 5 THEN 'ok - ' ELSE 'not ok - ' END
	|| 'the house, the pool and the three staking tiers are the system users'
FROM xphere.users WHERE role = 'system';
