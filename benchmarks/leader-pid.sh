#!/usr/bin/env bash
# Prints the process id of the current leader of the benchmark cluster, for the failover probe.
#
#   benchmarks/leader-pid.sh datastore   the 3-node cluster of benchmarks/run.sh (DATASTORE_RUN_DIR)
#   benchmarks/leader-pid.sh etcd        the cluster of benchmarks/etcd-cluster.sh (ETCD_RUN_DIR)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

case "${1:-}" in
  datastore)
    RUN="${DATASTORE_RUN_DIR:-$ROOT/benchmarks/target/cluster}"
    deadline=$((SECONDS + 30))
    while (( SECONDS < deadline )); do
      for id in n1 n2 n3; do
        [[ -f "$RUN/$id.pid" ]] && kill -0 "$(cat "$RUN/$id.pid")" 2>/dev/null || continue
        leader=$(GRAVWELL_CONTROL_AUTH_FILE="$RUN/control-auth" java -jar "$ROOT/datastore-node/target/datastore.jar" \
          status -c "$RUN/$id.conf" 2>/dev/null | awk '/^leader:/ {print $2}') || true
        if [[ -n ${leader:-} && -f "$RUN/$leader.pid" ]]; then
          cat "$RUN/$leader.pid"
          exit 0
        fi
      done
      sleep 0.2
    done
    echo "no datastore leader found in 30 s" >&2
    exit 1 ;;
  etcd)
    exec "$ROOT/benchmarks/etcd-cluster.sh" leader-pid ;;
  *)
    echo "usage: $0 datastore|etcd" >&2
    exit 2 ;;
esac
