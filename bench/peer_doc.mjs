// peer_doc.mjs — the peer side of bench/interpreter.sh: runs an ASL definition
// with aws-local-stepfunctions N times in this process, warm, and prints one
// JSON line: the seconds of the timed round and the output of execution 7.
//
//   node peer_doc.mjs DEFINITION.json EXECUTIONS
//
// Execution i gets the order document booking gets (interpreter.sh's input()).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, executionsArg] = process.argv.slice(2);
const executions = Number.parseInt(executionsArg, 10);
if (!definitionFile || !(executions > 0)) {
	console.error('usage: node peer_doc.mjs DEFINITION.json EXECUTIONS');
	process.exit(2);
}
const machine = new StateMachine(JSON.parse(readFileSync(definitionFile, 'utf8')));
const input = (i) => ({
	order: { id: i, customer: { name: 'Ada', tier: 'gold' }, items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] },
});
// warm-up (untimed): V8 compiles the hot paths
for (let i = 1; i <= 500; i++) await machine.run(input(i)).result;
const t0 = performance.now();
for (let i = 1; i <= executions; i++) await machine.run(input(i)).result;
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, output7: await machine.run(input(7)).result }));
