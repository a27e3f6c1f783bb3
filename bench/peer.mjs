// peer.mjs — the peer side of a booking benchmark: runs an ASL definition with
// aws-local-stepfunctions (a TypeScript ASL interpreter) N times, sequentially,
// in this one process, and prints one JSON line with the timings.
//
//   node peer.mjs DEFINITION.json EXECUTIONS ROUNDS CHECKS.json
//
// CHECKS.json is what booking produced: [{"input": ..., "output": ...}, ...].
// Before anything is timed, each check's input is run here and its output must
// equal booking's; the states entered are counted from the execution's event log.
// Execution i (1..EXECUTIONS) gets the input {"name": "Ada", "n": i}, as on the
// booking side. Each round is timed alone; the JSON line carries every round.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, executionsArg, roundsArg, checksFile] = process.argv.slice(2);
if (!definitionFile || !executionsArg || !roundsArg || !checksFile) {
	console.error('usage: node peer.mjs DEFINITION.json EXECUTIONS ROUNDS CHECKS.json');
	process.exit(2);
}
const executions = Number.parseInt(executionsArg, 10);
const rounds = Number.parseInt(roundsArg, 10);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const checks = JSON.parse(readFileSync(checksFile, 'utf8'));

function fail(message) {
	console.error(`peer.mjs: ${message}`);
	process.exit(1);
}

// The definition is validated and compiled once, as booking does at creation.
const machine = new StateMachine(definition);

// Verification (untimed): outputs equal booking's, states entered counted.
let transitionsPerExecution = null;
for (const { input, output } of checks) {
	const execution = machine.run(input);
	let entered = 0;
	const counting = (async () => {
		for await (const event of execution.eventLogs) {
			if (event.type === 'StateEntered') entered++;
		}
	})();
	const result = await execution.result;
	await counting;
	if (!isDeepStrictEqual(result, output)) {
		fail(`output differs from booking's for input ${JSON.stringify(input)}:\n` +
			`  peer:    ${JSON.stringify(result)}\n  booking: ${JSON.stringify(output)}`);
	}
	if (transitionsPerExecution !== null && transitionsPerExecution !== entered) {
		fail(`executions entered different numbers of states (${transitionsPerExecution}, ${entered})`);
	}
	transitionsPerExecution = entered;
}
if (transitionsPerExecution === null) fail('no checks given');

// Warm-up (untimed): let V8 compile the hot paths, as the timed loop would anyway.
for (let i = 1; i <= Math.min(200, executions); i++) {
	await machine.run({ name: 'Ada', n: i }).result;
}

const seconds = [];
for (let round = 0; round < rounds; round++) {
	let last;
	const t0 = performance.now();
	for (let i = 1; i <= executions; i++) {
		last = await machine.run({ name: 'Ada', n: i }).result;
	}
	seconds.push((performance.now() - t0) / 1000);
	if (last === undefined || last.n !== executions) fail(`unexpected last output ${JSON.stringify(last)}`);
}

console.log(JSON.stringify({
	engine: `aws-local-stepfunctions ${JSON.parse(readFileSync(new URL('./node_modules/aws-local-stepfunctions/package.json', import.meta.url), 'utf8')).version}`,
	node: process.version,
	executions,
	transitions_per_execution: transitionsPerExecution,
	seconds,
}));
