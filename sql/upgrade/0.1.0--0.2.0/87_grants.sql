/* the view worker_status calls it with its reader's privileges */
GRANT EXECUTE ON FUNCTION worker_status_internal() TO xphere_admin;
