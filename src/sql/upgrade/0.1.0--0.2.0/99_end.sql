-- whatever the fragments above created keeps no default PUBLIC grant (as
-- at the end of a fresh install's 90_security.sql)
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;
