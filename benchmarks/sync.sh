#!/usr/bin/env bash
# The sync fleet benchmarks: starts a fresh 3-node cluster on loopback, runs real webserver clients
# against it, stops the cluster (also on error / Ctrl-C).
#
#   benchmarks/sync.sh                      every scenario but catch-up with the issue's sizes (about 12 minutes)
#   benchmarks/sync.sh propagation --mode poll --samples 20     one scenario, any of its options
#
# Scenarios: propagation (push and poll), checkin (bytes + node CPU per idle check-in at 100k objects),
# cold-sync (100k objects of 1 KiB), upload (512 MiB resource after a 256 MiB warm-up one; client and node
# peak heap), fleet (1,000 simulated idle webservers, cluster CPU), restart (a follower holding 100k objects
# of 1 KiB restarted: RSS before/after, ms until /health/ready; about 2 minutes), catch-up (1 GiB of
# resources, then a follower's disk lost and the node replaced with replace-node + serve --join: ms until it
# has applied the leader's commit index; about 5 minutes, most of it loading at ~8 MiB/s; not in the default
# run: `benchmarks/sync.sh catch-up --mib 1024`). Figures are appended to benchmarks/target/sync-results.csv.
# DATASTORE_PORT_BASE moves the cluster's ports as in scripts/local-cluster.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DATASTORE_RUN_DIR="${BENCH_RUN_DIR:-$ROOT/benchmarks/target/cluster}"
CLUSTER="$ROOT/scripts/local-cluster.sh"
JAR="$ROOT/benchmarks/target/loadgen.jar"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS:--Xmx256m -XX:+UseG1GC}"
PORT_BASE="${DATASTORE_PORT_BASE:-9405}"

if [[ -n "${REBUILD:-}" ]] || ! unzip -l "$JAR" io/gravwell/datastore/bench/sync/SyncBench.class >/dev/null 2>&1; then
  echo "building (mvn package, tests skipped)..."
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi

run_cluster() {
  "$CLUSTER" stop >/dev/null 2>&1 || true
  rm -rf "$DATASTORE_RUN_DIR"
  "$CLUSTER" start >/dev/null
}
trap '"$CLUSTER" stop >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

bench() {
  local pids
  pids=$(for id in n1 n2 n3; do cat "$DATASTORE_RUN_DIR/$id.pid"; done | paste -sd,)
  # shellcheck disable=SC2086
  java $CLIENT_JAVA_OPTS -cp "$JAR" io.gravwell.datastore.bench.sync.SyncBench "$1" \
    --endpoints "127.0.0.1:$PORT_BASE,127.0.0.1:$((PORT_BASE + 10)),127.0.0.1:$((PORT_BASE + 20))" \
    --ca "$DATASTORE_RUN_DIR/node.crt" --secret-file "$DATASTORE_RUN_DIR/control-auth" \
    --node-pids "$pids" --clk-tck "$(getconf CLK_TCK)" \
    --metrics "127.0.0.1:$((PORT_BASE + 2)),127.0.0.1:$((PORT_BASE + 12)),127.0.0.1:$((PORT_BASE + 22))" \
    --run-dir "$DATASTORE_RUN_DIR" --cluster-script "$CLUSTER" \
    --work-dir "$ROOT/benchmarks/target/syncbench" "${@:2}"
}

echo "== $(date -u +%FT%TZ) on $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//');" \
  "loadavg $(cut -d' ' -f1-3 /proc/loadavg); fsync on; TLS on; JVM: $CLIENT_JAVA_OPTS"
if [[ $# -gt 0 ]]; then
  run_cluster
  bench "$@"
  exit
fi
# Each scenario on a fresh cluster, so one's data does not slow the next.
run_cluster; bench propagation --mode push --samples 200
run_cluster; bench propagation --mode poll --samples 20 --interval 10s
run_cluster; bench checkin --objects 100000 --checkins 1000
run_cluster; bench cold-sync --objects 100000
run_cluster; bench upload --mib 512
run_cluster; bench fleet --webservers 1000 --interval 10s --duration 60s
run_cluster; bench restart --objects 100000
echo "== loadavg at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
