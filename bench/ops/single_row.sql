-- bench/ops baseline for the lending mix: one statement per transaction,
-- every client updating the same row (bench_single_row in the tpcb-like
-- database), so the transactions serialise on that row as lending's do on
-- the pool's row
UPDATE bench_single_row SET n = n + 1 WHERE id = 1;
