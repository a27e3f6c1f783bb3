#!/usr/bin/env bash
# seed-corpus.sh OUTDIR — seeds each fuzz target's corpus from the tests:
# fuzz_definition gets every definition in test/definitions and statemachine/,
# fuzz_expression gets the paths and intrinsic calls those definitions use.
set -euo pipefail
out=$1
mkdir -p "$out/fuzz_definition" "$out/fuzz_expression"
i=0
for f in test/definitions/*/*.json; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	# the corpus files wrap the definition: {"rule", "definition", "expect"}
	node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(JSON.stringify(d.definition ?? d))' "$f" \
		>"$out/fuzz_definition/seed-$i.json" 2>/dev/null || cp "$f" "$out/fuzz_definition/seed-$i.json"
done
for f in statemachine/*.asl.json; do
	cp "$f" "$out/fuzz_definition/$(basename "$f")"
done
# every string value that looks like a path or an intrinsic call
cat test/definitions/*/*.json statemachine/*.asl.json 2>/dev/null |
	grep -o '"\(\$[^"]*\|States\.[A-Za-z]*([^"]*\)"' | sort -u |
	while IFS= read -r s; do
		i=$((i + 1))
		printf '%s' "${s:1:${#s}-2}" >"$out/fuzz_expression/seed-$i"
	done
