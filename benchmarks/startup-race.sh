#!/usr/bin/env bash
# Hunts the startup election race of docs/incidents/2026-11-29-stuck-follower: starts fresh 3-node clusters
# over and over, with Ratis' own logs at DEBUG, and checks that each one converges (every member has
# applied the same index and the leader sees no member behind). A cluster that does not converge is kept
# with its logs; the others are deleted.
#
#   benchmarks/startup-race.sh [ROUNDS]     default 20 rounds, ~25 s each
#
# RACE_LOAD=N busies N extra CPU-bound processes for the first RACE_LOAD_SECONDS (default 8) of each start,
# as a loaded machine would (default 2: both cores of this machine). RACE_ELECTION_TIMEOUT (default 200ms,
# the node default) shortens or lengthens the race. RACE_SETTLE seconds (default 10) to wait after the
# cluster answers before checking. Kept clusters: benchmarks/target/startup-race/stuck-*. Exit status: 1 if
# any round did not converge. DATASTORE_PORT_BASE as in scripts/local-cluster.sh (default here 9605).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLUSTER="$ROOT/scripts/local-cluster.sh"
OUT="$ROOT/benchmarks/target/startup-race"
ROUNDS="${1:-20}"
LOAD="${RACE_LOAD:-2}"
LOAD_SECONDS="${RACE_LOAD_SECONDS:-8}"
SETTLE="${RACE_SETTLE:-10}"
export DATASTORE_PORT_BASE="${DATASTORE_PORT_BASE:-9605}"
export DATASTORE_EXTRA_CONFIG="Log-Raft-Level=DEBUG\nDatastore-Election-Timeout=${RACE_ELECTION_TIMEOUT:-200ms}"
export DATASTORE_RUN_DIR="$OUT/current"
mkdir -p "$OUT"

busy_pids=()
unbusy() { for p in "${busy_pids[@]}"; do kill "$p" 2>/dev/null || true; done; busy_pids=(); }
trap 'unbusy; "$CLUSTER" stop >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

# Converged: three rows, one applied index, no member behind. Prints the status on failure.
converged() {
  local status
  status=$("$CLUSTER" status 2>&1) || { echo "$status"; return 1; }
  echo "$status" | awk '
    $2 == "LEADER" || $2 == "FOLLOWER" { rows++; applied[$5]++; if ($7 != "0" && $7 != "-") behind++ }
    END { n = 0; for (a in applied) n++; exit !(rows == 3 && n == 1 && behind == 0) }' && return 0
  echo "$status"
  return 1
}

# Stops the cluster and moves its directory aside as stuck-<time><suffix>; prints where.
keep() {
  "$CLUSTER" stop >/dev/null 2>&1 || true
  local kept
  kept="$OUT/stuck-$(date -u +%Y%m%dT%H%M%SZ)$1"
  mv "$DATASTORE_RUN_DIR" "$kept"
  echo "$kept"
}

failed=0
for round in $(seq 1 "$ROUNDS"); do
  "$CLUSTER" stop >/dev/null 2>&1 || true
  rm -rf "$DATASTORE_RUN_DIR"
  for _ in $(seq 1 "$LOAD"); do
    timeout "$LOAD_SECONDS" sh -c 'while :; do :; done' & busy_pids+=($!)
  done
  if ! "$CLUSTER" start >"$OUT/start.out" 2>&1; then
    unbusy
    failed=1
    for id in n1 n2 n3; do # where each node waits, before they are stopped
      jstack "$(cat "$DATASTORE_RUN_DIR/$id.pid")" > "$DATASTORE_RUN_DIR/$id.jstack" 2>&1 || true
    done
    mv "$OUT/start.out" "$DATASTORE_RUN_DIR/"
    echo "round $round: the cluster did not answer; kept $(keep -noanswer)"
    continue
  fi
  unbusy
  sleep "$SETTLE" # the race is over by then; what is checked is whether it left a member stuck
  inconsistencies=$(cat "$DATASTORE_RUN_DIR"/n?.log | grep -c "INCONSISTENCY reply" || true)
  if converged; then
    echo "round $round: converged ($inconsistencies INCONSISTENCY replies during the race)"
  else
    failed=1
    echo "round $round: NOT converged; kept $(keep "")"
  fi
done
exit "$failed" # the EXIT trap stops the last cluster
