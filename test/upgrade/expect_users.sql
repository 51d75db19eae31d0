-- user_role takes the ERD's lower-case labels: 0.1.0's USER, ADMIN and
-- SYSTEM are the same roles as user, admin and system
INSERT INTO pg_temp.upgrade_expect (tbl, col, expr) VALUES
	('users', 'role', $$CASE role::text WHEN 'USER' THEN 'user' WHEN 'ADMIN' THEN 'admin'
		WHEN 'SYSTEM' THEN 'system' END$$);
