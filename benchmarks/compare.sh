#!/usr/bin/env bash
# Side by side with etcd, in one run: the same closed-loop workload against our 3-node cluster and against a
# 3-member etcd 3.4 cluster (Debian's etcd-server, loopback, its defaults), then the failover benchmark
# (kill -9 of the leader under 4 writers, FAILOVER_ROUNDS rounds) on both, then tables and plots.
#
#   benchmarks/compare.sh                           defaults: C=1,16,64 x put,get; 15 s warm-up + 15 s each
#   benchmarks/compare.sh --warmup 5 --duration 10  further arguments go to both load-generator runs
#
# Writes into COMPARE_OUT (default benchmarks/target/compare/<UTC time>):
#   results.jsonl     every load-generator row, both targets (field "target")
#   failover.jsonl    every failover round, both targets
#   compare.csv       per (op, C): ops/s, p50, p99 of each system and the ratio ours/etcd
#   failover.csv      per round: longest gap of each system
#   compare.md        the tables and the verdict on each target of the performance issue
#   *.png             throughput, latency and failover plots (gnuplot, installed if missing)
#   machine.txt, run.log
#
# Environment: JIT_WARMUP (480: seconds of unmeasured load before the first level, split between puts and gets,
# the same for both systems;
# see docs/benchmarks.md "The JIT warm-up: two minutes of puts are not enough", session 11), DATASTORE_PORT_BASE (19405), ETCD_PORT_BASE (19379), FAILOVER_ROUNDS (5), SKIP_THROUGHPUT=1, SKIP_FAILOVER=1,
# FAILOVER_TARGETS ("datastore etcd"; one of them alone for a quicker look at one system), REBUILD=1, JAVA_OPTS (node JVMs),
# DATASTORE_CDS_DIR (the nodes' class-data archive, recorded first with `local-cluster.sh train-cds`; empty:
# none), LOADGEN_JAVA_OPTS (generator JVM), FAILOVER_RETRY_MS (1000: a failover writer waits this long for an
# acknowledgement before it sends its next write; the same for both systems).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/benchmarks"
OUT="${COMPARE_OUT:-$BENCH/target/compare/$(date -u +%Y%m%dT%H%M%SZ)}"
ROUNDS="${FAILOVER_ROUNDS:-5}"
JIT_WARMUP="${JIT_WARMUP:-480}"
RETRY_MS="${FAILOVER_RETRY_MS:-1000}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--Xmx1g -XX:+UseG1GC}"
LOADGEN_JAR="$BENCH/target/loadgen.jar"
NODE_JAR="$ROOT/datastore-node/target/datastore.jar"
# Ports of their own, clear of a development cluster (9405...) or etcd (2379...) someone else may run here.
export DATASTORE_PORT_BASE="${DATASTORE_PORT_BASE:-19405}"
export ETCD_PORT_BASE="${ETCD_PORT_BASE:-19379}"
export DATASTORE_READY_TIMEOUT="${DATASTORE_READY_TIMEOUT:-180}"
export DATASTORE_RUN_DIR="$BENCH/target/cluster"
export ETCD_RUN_DIR="$BENCH/target/etcd-cluster"
CLUSTER="$ROOT/scripts/local-cluster.sh"
ETCD="$BENCH/etcd-cluster.sh"
B=$DATASTORE_PORT_BASE
DATASTORE_ENDPOINTS="127.0.0.1:$B,127.0.0.1:$((B + 10)),127.0.0.1:$((B + 20))"

mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1

load() { echo "$(cut -d" " -f1-3 /proc/loadavg) (loadavg 1/5/15 min)"; }
phase() { echo; echo "== $(date -u +%T) $* -- $(load)"; }
java_bench() {
  # shellcheck disable=SC2086
  java $LOADGEN_JAVA_OPTS -cp "$LOADGEN_JAR" "$@"
}

if [[ -n "${REBUILD:-}" ]] || [[ ! -f "$NODE_JAR" ]] || [[ ! -f "$ROOT/reference-webserver/target/webserver.jar" ]] \
    || ! unzip -l "$LOADGEN_JAR" io/gravwell/datastore/bench/FailoverProbe.class >/dev/null 2>&1; then
  phase "building (mvn package, tests skipped)"
  (cd "$ROOT" && mvn -q -B -ntp -DskipTests package)
fi
if ! command -v gnuplot >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  phase "installing gnuplot-nox"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null
fi

E=$ETCD_PORT_BASE
PORTS=($B $((B + 10)) $((B + 20)) $((B + 1)) $((B + 11)) $((B + 21)) \
  $E $((E + 10)) $((E + 20)) $((E + 1)) $((E + 11)) $((E + 21)))
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A member stopped a moment ago may still hold its port while the (busy) machine reaps it.
wait_ports_free() {
  local deadline=$((SECONDS + 60))
  for port in "${PORTS[@]}"; do
    while port_in_use "$port"; do
      if (( SECONDS > deadline )); then
        echo "port $port is still in use: is another benchmark cluster running?" >&2
        return 1
      fi
      sleep 1
    done
  done
}
for port in "${PORTS[@]}"; do
  if port_in_use "$port"; then
    echo "port $port is already in use: is another benchmark cluster running?" >&2
    exit 1
  fi
done

cleanup() {
  "$CLUSTER" stop >/dev/null 2>&1 || true
  "$ETCD" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The nodes run with a class-data archive recorded on purpose (every node led once while recording), as
# an installed node has after its first clean stop. DATASTORE_CDS_DIR= (empty) runs without one.
train_cds() {
  if [[ -n "${DATASTORE_CDS_DIR-unset}" ]]; then
    phase "recording the nodes' class-data archive (scripts/local-cluster.sh train-cds)"
    wait_ports_free
    "$CLUSTER" train-cds
  fi
}

fresh_datastore() {
  "$CLUSTER" stop >/dev/null 2>&1 || true
  rm -rf "$DATASTORE_RUN_DIR"
  wait_ports_free
  "$CLUSTER" start
}

fresh_etcd() {
  "$ETCD" stop >/dev/null 2>&1 || true
  rm -rf "$ETCD_RUN_DIR"
  wait_ports_free
  "$ETCD" start
}

datastore_pids() {
  local pids=()
  for id in n1 n2 n3; do pids+=("$id=$(cat "$DATASTORE_RUN_DIR/$id.pid")"); done
  (IFS=,; echo "${pids[*]}")
}

# Every node has a leader and has applied everything committed (no writes run between rounds).
datastore_converged() {
  local deadline=$((SECONDS + 90))
  while (( SECONDS < deadline )); do
    local ok=1 max_commit=0 min_applied=-1
    for id in n1 n2 n3; do
      local s
      s=$(GRAVWELL_CONTROL_AUTH_FILE="$DATASTORE_RUN_DIR/control-auth" java -jar "$NODE_JAR" status \
        -c "$DATASTORE_RUN_DIR/$id.conf" 2>/dev/null) || { ok=0; break; }
      grep -q '^leader: *n' <<<"$s" || { ok=0; break; }
      local commit applied
      commit=$(awk '/^commit index:/ {print $3}' <<<"$s")
      applied=$(awk '/^applied index:/ {print $3}' <<<"$s")
      (( commit > max_commit )) && max_commit=$commit
      (( min_applied < 0 || applied < min_applied )) && min_applied=$applied
    done
    if (( ok )) && (( min_applied >= max_commit )); then
      return 0
    fi
    sleep 1
  done
  echo "datastore cluster did not converge in 90 s" >&2
  return 1
}

throughput() {
  phase "throughput: datastore"
  fresh_datastore
  java_bench io.gravwell.datastore.bench.LoadGenerator --target datastore --endpoints "$DATASTORE_ENDPOINTS" \
    --ca "$DATASTORE_RUN_DIR/node.crt" --secret-file "$DATASTORE_RUN_DIR/control-auth" \
    --cpu-pids "$(datastore_pids)" --clk-tck "$(getconf CLK_TCK)" --out "$OUT/results.jsonl" \
    --jit-warmup "$JIT_WARMUP" --warmup 15 --duration 15 "$@"
  "$CLUSTER" stop

  phase "throughput: etcd"
  fresh_etcd
  java_bench io.gravwell.datastore.bench.LoadGenerator --target etcd --endpoints "$("$ETCD" endpoints)" \
    --cpu-pids "$("$ETCD" pids)" --clk-tck "$(getconf CLK_TCK)" --out "$OUT/results.jsonl" \
    --jit-warmup "$JIT_WARMUP" --warmup 15 --duration 15 "$@"
  "$ETCD" stop
}

failover_datastore() {
  phase "failover: datastore, $ROUNDS rounds"
  fresh_datastore
  datastore_converged
  for round in $(seq 1 "$ROUNDS"); do
    java_bench io.gravwell.datastore.bench.FailoverProbe --target datastore --endpoints "$DATASTORE_ENDPOINTS" \
      --ca "$DATASTORE_RUN_DIR/node.crt" --secret-file "$DATASTORE_RUN_DIR/control-auth" \
      --retry-after-ms "$RETRY_MS" --leader-pid-command "$BENCH/leader-pid.sh datastore" \
      --round "$round" --out "$OUT/failover.jsonl" || echo "round $round: no write succeeded after the kill" >&2
    "$CLUSTER" start >/dev/null   # restarts the killed node only
    datastore_converged
  done
  "$CLUSTER" stop
}

failover_etcd() {
  phase "failover: etcd, $ROUNDS rounds"
  fresh_etcd
  for round in $(seq 1 "$ROUNDS"); do
    java_bench io.gravwell.datastore.bench.FailoverProbe --target etcd --endpoints "$("$ETCD" endpoints)" \
      --retry-after-ms "$RETRY_MS" --leader-pid-command "$BENCH/leader-pid.sh etcd" \
      --round "$round" --out "$OUT/failover.jsonl" || echo "round $round: no write succeeded after the kill" >&2
    "$ETCD" start >/dev/null      # restarts the killed member, waits until every member serves reads
  done
  "$ETCD" stop
}

machine_info() {
  echo "date:      $(date -u +%FT%TZ)"
  echo "loadavg:   $(load), at the end"
  echo "host:      $(uname -srm)"
  echo "nproc:     $(nproc)"
  echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "disk:      $(df -h "$BENCH/target" | awk 'NR==2 {print $1" ("$2", mounted on "$6")"}')"
  echo "java:      $(java -version 2>&1 | head -1)"
  echo "etcd:      $(etcd --version 2>/dev/null | head -1)"
  echo "node JVM:  ${JAVA_OPTS:--Xmx512m -XX:+UseG1GC (local-cluster.sh default)}"
  echo "node CDS:  ${DATASTORE_CDS_DIR-$ROOT/run/cds (local-cluster.sh default, recorded by train-cds)}"
  echo "loadgen:   $LOADGEN_JAVA_OPTS"
  echo "fsync:     on for both (Ratis log and etcd WAL defaults)"
}

phase "side by side with etcd into $OUT"
train_cds
[[ -z "${SKIP_THROUGHPUT:-}" ]] && throughput "$@"
if [[ -z "${SKIP_FAILOVER:-}" ]]; then
  for target in ${FAILOVER_TARGETS:-datastore etcd}; do "failover_$target"; done
fi

phase "report"
java -cp "$LOADGEN_JAR" io.gravwell.datastore.bench.CompareReport --results "$OUT/results.jsonl" \
  --failover "$OUT/failover.jsonl" --out-dir "$OUT"
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot -e "dir='$OUT'" "$BENCH/plots.gp" && echo "plots: $OUT/*.png"
fi
machine_info | tee "$OUT/machine.txt"
echo "results in $OUT"
