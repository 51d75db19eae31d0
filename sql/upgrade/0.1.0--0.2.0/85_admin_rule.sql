/*
 * Operator functions follow authorize_admin() (sql/install/ledger/ledger.sql): a session
 * pinned to a platform user by xphere.user_id runs them only when that
 * user is an active admin; an unpinned session needs a trusted role.
 * set_machine_status() becomes an operator function for any machine
 * (0.1.0 let a pinned session change its own user's machines only) and
 * refuses the machines of a deactivated user.
 */

