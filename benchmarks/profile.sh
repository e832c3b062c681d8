#!/usr/bin/env bash
# Profiles the nodes under one closed-loop workload: starts a fresh 3-node cluster with Java Flight Recorder
# on every node, runs the load generator, stops the cluster (the recordings are written at exit), and prints
# each node's hottest methods and the leader's top allocation sites.
#
#   benchmarks/profile.sh                       put, C=64, 5 s warm-up + 20 s
#   benchmarks/profile.sh --op get --clients 16 --duration 30     arguments replace the load generator's workload
#   IDLE_SECONDS=60 IDLE_WARMUP=60 benchmarks/profile.sh   no load: the idle cluster's own CPU (after IDLE_WARMUP s)
#
# Recordings: PROFILE_OUT (default benchmarks/target/profile/<UTC time>)/n1.jfr … n3.jfr; read them with
# `jfr print`, `jfr summary`, JDK Mission Control, or `jfr view hot-methods FILE` (JDK 21+; set JFR_VIEW to a
# JDK 21+ `jfr` binary, default: the first one found under /usr/lib/jvm).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${PROFILE_OUT:-$ROOT/benchmarks/target/profile/$(date -u +%Y%m%dT%H%M%SZ)}"
LOADGEN_JAR="$ROOT/benchmarks/target/loadgen.jar"
CLUSTER="$ROOT/scripts/local-cluster.sh"
export DATASTORE_PORT_BASE="${DATASTORE_PORT_BASE:-29405}"
export DATASTORE_RUN_DIR="$ROOT/benchmarks/target/profile-cluster"
B=$DATASTORE_PORT_BASE
mkdir -p "$OUT"
# Arguments replace the default workload (picocli would add a second --clients list to the first).
LOAD_ARGS=("$@")
(( ${#LOAD_ARGS[@]} )) || LOAD_ARGS=(--op put --clients 64 --warmup 5 --duration 20)

if [[ -n "${REBUILD:-}" ]] || [[ ! -f "$LOADGEN_JAR" ]] || [[ ! -f "$ROOT/datastore-node/target/datastore.jar" ]]; then
  (cd "$ROOT" && mvn -q -B -ntp -DskipTests package)
fi
JFR_VIEW="${JFR_VIEW:-$(ls /usr/lib/jvm/*/bin/jfr 2>/dev/null | while read -r j; do
  "$j" help view 2>&1 | grep -q hot-methods && { echo "$j"; break; }; done || true)}"

"$CLUSTER" stop >/dev/null 2>&1 || true
rm -rf "$DATASTORE_RUN_DIR"
trap '"$CLUSTER" stop >/dev/null 2>&1 || true' EXIT
# A directory as the file name: each JVM writes hotspot-pid-<pid>-…jfr there (JDK 17 has no %p); renamed
# to the node id below.
mkdir -p "$OUT/raw"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseG1GC} -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$OUT/raw/" \
  "$CLUSTER" start >/dev/null
declare -A NODE_OF
for id in n1 n2 n3; do NODE_OF[$(cat "$DATASTORE_RUN_DIR/$id.pid")]=$id; done
LEADER=$(GRAVWELL_CONTROL_AUTH_FILE="$DATASTORE_RUN_DIR/control-auth" \
  java -jar "$ROOT/datastore-node/target/datastore.jar" status -c "$DATASTORE_RUN_DIR/n1.conf" 2>/dev/null \
  | awk '/^leader:/ {print $2}')

if [[ -n "${IDLE_SECONDS:-}" ]]; then
  # No clients at all: what the cluster burns on its own (heartbeats, timers, metrics, the JVMs).
  ticks() { for id in n1 n2 n3; do awk '{print $14 + $15}' "/proc/$(cat "$DATASTORE_RUN_DIR/$id.pid")/stat"; done \
    | awk '{s += $1} END {print s}'; }
  sleep "${IDLE_WARMUP:-10}"
  t0=$(ticks); sleep "$IDLE_SECONDS"; t1=$(ticks)
  echo "idle cluster CPU: $(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$IDLE_SECONDS" \
    'BEGIN {printf "%.1f", 100 * d / hz / s}') % of one core over $IDLE_SECONDS s (3 nodes together)" \
    | tee "$OUT/idle.txt"
else
  # shellcheck disable=SC2086
  java ${LOADGEN_JAVA_OPTS:--Xmx1g -XX:+UseG1GC} -cp "$LOADGEN_JAR" io.gravwell.datastore.bench.LoadGenerator \
    --target datastore --endpoints "127.0.0.1:$B,127.0.0.1:$((B + 10)),127.0.0.1:$((B + 20))" \
    --ca "$DATASTORE_RUN_DIR/node.crt" --secret-file "$DATASTORE_RUN_DIR/control-auth" \
    "${LOAD_ARGS[@]}" | tee "$OUT/loadgen.txt"
fi
"$CLUSTER" stop >/dev/null
for f in "$OUT"/raw/*.jfr; do
  pid=$(sed -n 's/.*hotspot-pid-\([0-9]*\)-.*/\1/p' <<<"${f##*/}")
  mv "$f" "$OUT/${NODE_OF[$pid]:-pid-$pid}.jfr"
done
rmdir "$OUT/raw" 2>/dev/null || true
echo "leader during the run: ${LEADER:-unknown}" | tee "$OUT/leader.txt"
if [[ -n "$JFR_VIEW" ]]; then
  for id in n1 n2 n3; do
    echo "== $id${LEADER:+$([[ $id == "$LEADER" ]] && echo ' (leader)')}: hot methods" | tee -a "$OUT/hot.txt"
    "$JFR_VIEW" view --width 160 hot-methods "$OUT/$id.jfr" | head -30 | tee -a "$OUT/hot.txt"
  done
  [[ -n "$LEADER" ]] && "$JFR_VIEW" view --width 160 allocation-by-site "$OUT/$LEADER.jfr" | head -25 | tee -a "$OUT/hot.txt"
else
  echo "no JDK 21+ jfr found for 'jfr view'; recordings are in $OUT"
fi
echo "recordings: $OUT"
