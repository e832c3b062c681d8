#!/usr/bin/env bash
# Starts a fresh 3-node datastore cluster on loopback, runs the closed-loop load generator against all
# three client ports, stops the cluster (also on error / Ctrl-C) and prints what machine it ran on.
#
#   benchmarks/run.sh                          defaults: C=1,16,64 x put,get; 20 s warm-up + 20 s each
#   benchmarks/run.sh --warmup 5 --duration 10 any further arguments go to the load generator
#
# Environment:
#   REBUILD=1               rebuild even if the jars exist
#   BENCH_RUN_DIR=dir       cluster directory (default benchmarks/target/cluster, wiped at every run so each
#                           benchmark starts from an empty cluster; keep it with BENCH_KEEP_DATA=1)
#   JIT_WARMUP=s            unmeasured load before the first level, so it does not measure the JIT compilers
#                           (default 120; see docs/benchmarks.md "JIT warm-up")
#   BENCH_OUT=file          results file to append to (default benchmarks/target/results.csv; .json = JSON lines)
#   DATASTORE_PORT_BASE     first client port (default 9405; see scripts/local-cluster.sh)
#   JAVA_OPTS               node JVM options (scripts/local-cluster.sh default: -Xmx512m -XX:+UseG1GC)
#   LOADGEN_JAVA_OPTS       load-generator JVM options (default: -Xmx1g -XX:+UseG1GC)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE_JAR="$ROOT/datastore-node/target/datastore.jar"
LOADGEN_JAR="$ROOT/benchmarks/target/loadgen.jar"
export DATASTORE_RUN_DIR="${BENCH_RUN_DIR:-$ROOT/benchmarks/target/cluster}"
OUT="${BENCH_OUT:-$ROOT/benchmarks/target/results.csv}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--Xmx1g -XX:+UseG1GC}"
CLUSTER="$ROOT/scripts/local-cluster.sh"

machine_info() {
  echo "== machine"
  echo "date:      $(date -u +%FT%TZ)"
  echo "loadavg:   $(cut -d" " -f1-3 /proc/loadavg) (1/5/15 min, at the end of the run)"
  echo "host:      $(uname -srm)"
  echo "nproc:     $(nproc)"
  echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "disk:      $(df -h "$DATASTORE_RUN_DIR" 2>/dev/null | awk 'NR==2 {print $1" ("$2", mounted on "$6")"}')"
  echo "java:      $(java -version 2>&1 | head -1)"
  echo "node JVM:  ${JAVA_OPTS:--Xmx512m -XX:+UseG1GC (local-cluster.sh default)}"
  echo "loadgen:   $LOADGEN_JAVA_OPTS"
  echo "fsync:     on (Ratis' segmented log fsyncs every flush by default; nothing here turns it off)"
  echo "topology:  3 node JVMs + load generator JVM on one machine, loopback, TLS on the client port"
}

has_class() { [[ -f "$1" ]] && unzip -l "$1" "$2" >/dev/null 2>&1; }
if [[ -n "${REBUILD:-}" ]] \
    || ! has_class "$NODE_JAR" io/gravwell/datastore/node/cli/DatastoreCommand.class \
    || ! has_class "$LOADGEN_JAR" io/gravwell/datastore/bench/LoadGenerator.class; then
  echo "building (mvn package, tests skipped)..."
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi

BASE="${DATASTORE_PORT_BASE:-9405}"
for port in $BASE $((BASE + 10)) $((BASE + 20)) $((BASE + 1)) $((BASE + 11)) $((BASE + 21)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use: is another cluster running? (scripts/local-cluster.sh stop)" >&2
    exit 1
  fi
done

if [[ -z "${BENCH_KEEP_DATA:-}" ]]; then
  rm -rf "$DATASTORE_RUN_DIR"
fi

cleanup() {
  echo "== stopping cluster"
  "$CLUSTER" stop || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== load before start: $(cut -d" " -f1-3 /proc/loadavg) (1/5/15 min loadavg), $(nproc) cpus"
echo "== starting cluster in $DATASTORE_RUN_DIR"
"$CLUSTER" start
"$CLUSTER" status 2>/dev/null || true

pids=()
for id in n1 n2 n3; do
  pids+=("$id=$(cat "$DATASTORE_RUN_DIR/$id.pid")")
done
pid_list=$(IFS=,; echo "${pids[*]}")

echo "== load generator"
rc=0
set -x
# shellcheck disable=SC2086
java $LOADGEN_JAVA_OPTS -cp "$LOADGEN_JAR" io.gravwell.datastore.bench.LoadGenerator \
  --endpoints "127.0.0.1:$BASE,127.0.0.1:$((BASE + 10)),127.0.0.1:$((BASE + 20))" \
  --ca "$DATASTORE_RUN_DIR/node.crt" \
  --secret-file "$DATASTORE_RUN_DIR/control-auth" \
  --cpu-pids "$pid_list" --clk-tck "$(getconf CLK_TCK)" \
  --out "$OUT" --jit-warmup "${JIT_WARMUP:-120}" \
  "$@" || rc=$?
{ set +x; } 2>/dev/null
echo "results appended to $OUT"

"$CLUSTER" status 2>/dev/null || true
machine_info
exit $rc
