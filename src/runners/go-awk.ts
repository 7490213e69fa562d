// The small awk programs a go suite's pod runs (go.ts puts them in its runner script): the log
// from go test -json, the tests `go test -list` names, a shard's plan per package, and the shard
// split by the run history's weights. awk, not a helper compiled in Go: it is in every Debian and
// busybox image and costs no build cache.
import { SHARD_WEIGHTS_ENV } from "../names.js";

/** go test -json on stdin → the events' Output, decoded (LC_ALL=C: bytes out as they were encoded); other lines as they are. */
export const GO_OUTPUT_AWK = [
  "function hexval(h,  i, v) { v = 0; h = tolower(h); for (i = 1; i <= 4; i++) v = v * 16 + index(\"0123456789abcdef\", substr(h, i, 1)) - 1; return v }",
  "function utf8(c) {",
  "  if (c < 128) return sprintf(\"%c\", c)",
  "  if (c < 2048) return sprintf(\"%c%c\", 192 + int(c / 64), 128 + c % 64)",
  "  return sprintf(\"%c%c%c\", 224 + int(c / 4096), 128 + int(c / 64) % 64, 128 + c % 64)",
  "}",
  "{",
  "  i = index($0, \"\\\"Output\\\":\\\"\")",
  "  if (i == 0) { if (substr($0, 1, 1) != \"{\") print; next }",
  "  s = substr($0, i + 10); out = \"\"",
  "  while (match(s, /[\"\\\\]/)) {",
  "    out = out substr(s, 1, RSTART - 1); c = substr(s, RSTART, 1)",
  "    if (c == \"\\\"\") break",
  "    e = substr(s, RSTART + 1, 1); s = substr(s, RSTART + 2)",
  "    if (e == \"n\") out = out \"\\n\"; else if (e == \"t\") out = out \"\\t\"; else if (e == \"r\") out = out \"\\r\"",
  "    else if (e == \"u\") { out = out utf8(hexval(substr(s, 1, 4))); s = substr(s, 5) }",
  "    else if (e == \"b\") out = out \"\\b\"; else if (e == \"f\") out = out \"\\f\"; else out = out e",
  "  }",
  "  printf \"%s\", out",
  "  fflush()",
  "}",
].join("\n");

/** `go test -list .` output → one line per test, `<package> <Test>`, and `<package>` alone for one whose tests could not be listed (it runs whole). */
export const GO_LIST_AWK = [
  "/^ok[ \\t]/ { for (k = 1; k <= nt; k++) print $2 \" \" t[k]; nt = 0; next }",
  "/^FAIL[ \\t]/ { print $2; nt = 0; next }",
  "/^\\?[ \\t]/ { nt = 0; next }",
  "/^(Test|Example|Fuzz)[^ \\t]*$/ { t[++nt] = $0 }",
].join("\n");

/** A shard's `<package> <Test>` lines → one line per package: `<package> ^(TestA|TestB)$`, or `<package>` to run it whole. */
export const GO_PLAN_AWK = [
  "{ sp = index($0, \" \"); p = sp ? substr($0, 1, sp - 1) : $0",
  "  if (!(p in seen)) order[++np] = p; seen[p] = 1",
  "  if (!sp) { whole[p] = 1; next }",
  "  name = substr($0, sp + 1); re[p] = (n[p]++ ? re[p] \"|\" : \"\") name }",
  "END { for (k = 1; k <= np; k++) { p = order[k]; print p ((p in whole) ? \"\" : \" ^(\" re[p] \")$\") } }",
].join("\n");

/**
 * With the run history's weights ($INCLUSTER_SHARD_WEIGHTS, {"d": {"<package> <Test>": ms}, "m": ms}):
 * each listed `<package> <Test>` line (or `<package>`) → `<ms>\t<line>`, the median for one not in
 * it. Ids hold no quote or brace (import paths and Go identifiers), so the JSON is read by pattern.
 */
export const GO_WEIGH_AWK = [
  "BEGIN {",
  `  s = ENVIRON["${SHARD_WEIGHTS_ENV}"]; m = 0`,
  '  if (match(s, /"m":[0-9]+/)) m = substr(s, RSTART + 4, RLENGTH - 4) + 0',
  '  d = ""; if (match(s, /"d":[{][^}]*[}]/)) d = substr(s, RSTART + 5, RLENGTH - 6)',
  '  while (match(d, /"[^"]*":[0-9]+/)) {',
  String.raw`    kv = substr(d, RSTART, RLENGTH); d = substr(d, RSTART + RLENGTH); c = index(kv, "\":")`,
  "    w[substr(kv, 2, c - 2)] = substr(kv, c + 2) + 0",
  "  }",
  "}",
  String.raw`{ print (($0 in w) ? w[$0] : m) "\t" $0 }`,
].join("\n");

/**
 * `<ms>\t<id>` lines, heaviest first (ties by id, bytes: code points), each to the least loaded shard
 * (ties: the lowest index), as history/shards.ts lptSplit: shard `i`'s ids to `out`, a summary printed.
 */
export const GO_LPT_AWK = [
  "{ k = 0; for (j = 1; j < n; j++) if (load[j] < load[k]) k = j",
  "  load[k] += $1; total += $1; all++",
  String.raw`  if (k == i) { print substr($0, index($0, "\t") + 1) > out; mine++ } }`,
  String.raw`END { printf "go test shard %d of %d: %d of %d tests, %.1fs of %.1fs by their median times\n", i, n, mine, all, load[i] / 1000, total / 1000 }`,
].join("\n");
