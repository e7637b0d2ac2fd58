#!/usr/bin/awk -f
# Rewrites a text trace so that no object id is ever reused: every `alloc`
# and `weakref` names a new id, a decimal counter (1, 2, 3, ...), and every
# later operand naming that object is rewritten to match. Nothing else
# changes (names, keys, types, sites, options, comments, line numbers), so
# the result replays to the same report as its source, modulo ids: the twin
# of a `heapsim gen` workload whose ids are counters, as in traces exported
# by other tools (issue 13). Used by bench/run.sh and tests/e2e.
#
#   heapsim gen --profile web --events N -o - | awk -f bench/never_reused_ids.awk
#
# An operand naming no live id (an error in the source) is left as written.
function fresh(old) { current[old] = ++counter; return counter }
function map(old) { return (old in current) ? current[old] : old }
{
    if ($0 ~ /^[ \t]*(#|$)/) { print; next }
    i = ($1 ~ /^@/) ? 2 : 1
    ev = $i
    if (ev == "alloc") {
        # alloc ID TYPE [REF ...] [key=value ...]
        for (j = i + 3; j <= NF; j++) if ($j !~ /=/ && $j !~ /^#/) $j = map($j); else break
        $(i + 1) = fresh($(i + 1))
    } else if (ev == "bind") {
        $(i + 2) = map($(i + 2))
    } else if (ev == "append" || ev == "remove") {
        $(i + 1) = map($(i + 1)); $(i + 2) = map($(i + 2))
    } else if (ev == "set") {
        $(i + 1) = map($(i + 1)); $(i + 3) = map($(i + 3))
    } else if (ev == "unset" || ev == "clear" || ev == "drop") {
        $(i + 1) = map($(i + 1))
    } else if (ev == "weakref") {
        $(i + 2) = map($(i + 2))
        $(i + 1) = fresh($(i + 1))
    } else if (ev == "expect" && ($(i + 1) == "alive" || $(i + 1) == "freed" || $(i + 1) == "refcount")) {
        $(i + 2) = map($(i + 2))
    }
    print
}
