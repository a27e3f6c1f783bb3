#!/usr/bin/env bash
# seed-corpus.sh OUTDIR — seeds each fuzz target's corpus from the tests:
# fuzz_definition gets every definition in test/definitions and statemachine/,
# fuzz_expression gets the paths and intrinsic calls those definitions use,
# fuzz_ddb_expression DynamoDB expressions (the article's and one per feature),
# fuzz_jsonata the expressions of the JSONata suite (../shared/jsonata/suite.jsonl),
# fuzz_jsonata_lib a call of each JSONata support-library function.
set -euo pipefail
out=$1
mkdir -p "$out/fuzz_definition" "$out/fuzz_expression" "$out/fuzz_ddb_expression" "$out/fuzz_jsonata"
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
# DynamoDB expressions: one per line, each its own seed
i=0
while IFS= read -r s; do
	i=$((i + 1))
	printf '%s' "$s" >"$out/fuzz_ddb_expression/seed-$i"
done <<'EXPRESSIONS'
SET #apartmentStatus = :status
attribute_exists(Id)
SET bookedStatus = :bookedStatus
#s = :s AND n BETWEEN :n AND :big OR NOT (contains(ss, :e) AND size(l) > :n)
n IN (:n, :big, :tiny) AND attribute_type(#m, :ty)
begins_with(m.s, :e) OR begins_with(b, :b) AND attribute_not_exists(l[9].k)
(n) <> :n AND ((f < :tiny)) AND m.k.d >= :n
SET n = n + :n, f = :big - f, l[7] = :s, #m.#k.d = if_not_exists(m.k.d, :n)
SET l = list_append(l, :l), x = list_append(:l, if_not_exists(y, :l))
REMOVE l[0], l[2], m.s, zz SET q = :m
ADD n :n, ss :ss, ns :ns, bs :bs, new :n DELETE ss :ss
DELETE ns :ns, bs :bs REMOVE #s
Id, #s, l[2].k, l[0], #m.k.d, missing
l[1], l[3], m.e, #a
SET a = :n SET b = :n
SET m.k = :n REMOVE m
status = :s
EXPRESSIONS
# JSONata: every expression of the suite, each its own seed
suite=${BOOKING_JSONATA_SUITE:-../shared/jsonata/suite.jsonl}
if [ -f "$suite" ]; then
	node -e '
		const fs = require("fs");
		const out = process.argv[2];
		fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)
			.forEach((l, i) => fs.writeFileSync(`${out}/seed-${i}`, JSON.parse(l).expr));
	' "$suite" "$out/fuzz_jsonata"
fi
# JSONata's support library: a selector byte (the function, mod 10), eight
# bytes of a double (1521801216617.0, little-endian), then "first\0second"
mkdir -p "$out/fuzz_jsonata_lib"
i=0
while IFS='|' read -r sel first second; do
	i=$((i + 1))
	{ printf "\\x$sel"; printf '\x00\x90\x26\xbc\x26\x25\x76\x42'; printf '%s' "$first"; printf '\0'; printf '%s' "$second"; } \
		>"$out/fuzz_jsonata_lib/seed-$i"
done <<'LIBRARY'
00|#,##0.00;(#,##0.00)|,
10|00.000e0|
01|#,##0;o|1,234th
01|Ww;o|Twenty-Third
02|[FNn], [D1o] [MNn,*-3] [Y] [h]:[m01][P] [z]|-0530
02|[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]|+0100
03|[D1]/[M1]/[Y0001] [h]:[m] [P]|4/4/2018 12:06 am
03||2018-02-01T09:42:13.123+0000
04|(\w+)\s(\d+)?|John 12 Smith
14|^a.$|ab\nac
05|a😀b|-+
06|https://x.org/?a=шеллы&b=%D1|
07|aGVsbG86d29ybGQ=|
08||
09|0x1F|
LIBRARY
