// bench/queues/expiry.mjs — the expiry job on a peer queue, for bench/expiry.sh.
//
//   node expiry.mjs ENGINE N CONNECTION_STRING
//
// ENGINE: graphile (graphile-worker, concurrency 10, local queue 100; jobs added with
// graphile_worker.add_job in SQL, run_at 2 s ahead), pgboss-job (pg-boss: 10 fetch loops of 10
// jobs, each job's UPDATE and its completion in one transaction), pgboss-batch (pg-boss: 10 fetch
// loops of 100 jobs, one UPDATE and one completion per batch, in one transaction).
// The workers start first; then N jobs are scheduled, each due 2 s after it is added, in
// batches of 1,000. Each job sets its reservation's due and expired_at. Prints
// "scheduled_per_s" on stdout; bench/expiry.sh takes the rest from the database. Gives up after
// 300 s (exit 1).
import pg from 'pg';

const [engine, nArg, conn] = process.argv.slice(2);
const N = Number(nArg);
const BATCH = 1000;
const UPDATE = `UPDATE reservations SET status = 'expired', due = $2, expired_at = clock_timestamp() WHERE id = $1`;
const pool = new pg.Pool({ connectionString: conn, max: 4 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function expired() {
	const { rows } = await pool.query(`SELECT count(*)::int AS n FROM reservations WHERE expired_at IS NOT NULL`);
	return rows[0].n;
}

async function waitDone() {
	for (let i = 0; i < 3000; i++) {
		if ((await expired()) >= N) return;
		await sleep(100);
	}
	throw new Error(`${engine}: not all ${N} jobs done in 300 s`);
}

async function graphile() {
	const { run, Logger } = await import('graphile-worker');
	const runner = await run({
		preset: { worker: { connectionString: conn, concurrentJobs: 10, localQueue: { size: 100 } } },
		logger: new Logger(() => (level, message) => { if (level === 'error') console.error(message); }),
		noHandleSignals: true,
		taskList: {
			expire: async (p, helpers) => {
				await helpers.withPgClient((c) => c.query(UPDATE, [p.id, p.due]));
			},
		},
	});
	const t0 = performance.now();
	for (let a = 1; a <= N; a += BATCH) {
		const b = Math.min(N, a + BATCH - 1);
		await pool.query(`SELECT count(graphile_worker.add_job('expire', json_build_object('id', g, 'due', d), run_at := d))
		                    FROM generate_series($1::int, $2::int) g, LATERAL (SELECT clock_timestamp() + interval '2 s' AS d) x`, [a, b]);
	}
	const secs = (performance.now() - t0) / 1000;
	await waitDone();
	await runner.stop();
	return secs;
}

async function pgboss(batched) {
	const { PgBoss } = await import('pg-boss');
	const boss = new PgBoss({ connectionString: conn, max: 12, supervise: false, schedule: false });
	boss.on('error', (e) => console.error(e));
	await boss.start();
	await boss.createQueue('expire');
	let done = false;
	const per = batched ? 100 : 10;
	async function loop() {
		while (!done) {
			const jobs = await boss.fetch('expire', { batchSize: per });
			if (!jobs || jobs.length === 0) { await sleep(50); continue; }
			const client = await pool.connect();
			const db = { executeSql: (text, values) => client.query(text, values) };
			try {
				if (batched) {
					await client.query('BEGIN');
					await client.query(`UPDATE reservations r SET status = 'expired', due = j.due, expired_at = clock_timestamp()
					                      FROM jsonb_to_recordset($1::jsonb) AS j(id int, due timestamptz) WHERE r.id = j.id`,
						[JSON.stringify(jobs.map((j) => j.data))]);
					await boss.complete('expire', jobs.map((j) => j.id), null, { db });
					await client.query('COMMIT');
				} else {
					for (const j of jobs) {
						await client.query('BEGIN');
						await client.query(UPDATE, [j.data.id, j.data.due]);
						await boss.complete('expire', j.id, null, { db });
						await client.query('COMMIT');
					}
				}
			} finally {
				client.release();
			}
		}
	}
	const loops = Array.from({ length: 10 }, loop);
	const t0 = performance.now();
	for (let a = 1; a <= N; a += BATCH) {
		const jobs = [];
		for (let i = a; i <= Math.min(N, a + BATCH - 1); i++) {
			const due = new Date(Date.now() + 2000);
			jobs.push({ data: { id: i, due: due.toISOString() }, startAfter: due });
		}
		await boss.insert('expire', jobs);
	}
	const secs = (performance.now() - t0) / 1000;
	try { await waitDone(); } finally { done = true; }
	await Promise.all(loops);
	await boss.stop({ graceful: false, wait: true });
	return secs;
}

try {
	const secs = engine === 'graphile' ? await graphile()
		: engine === 'pgboss-job' ? await pgboss(false)
		: engine === 'pgboss-batch' ? await pgboss(true)
		: (() => { throw new Error(`unknown engine ${engine}`); })();
	console.log(Math.round(N / secs));
	await pool.end();
	process.exit(0);
} catch (e) {
	console.error(e);
	process.exit(1);
}
