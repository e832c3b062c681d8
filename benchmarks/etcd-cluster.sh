#!/usr/bin/env bash
# A 3-member etcd 3.4 cluster on loopback with etcd's defaults (fsync on, 100 ms heartbeat, 1 s election
# timeout), for the side-by-side benchmark. Uses Debian's etcd-server (installed if missing, as root).
#
#   benchmarks/etcd-cluster.sh start       start every member that is not running (a fresh cluster when the
#                                          directory is empty), wait until it answers a linearizable read
#   benchmarks/etcd-cluster.sh stop        stop all members (TERM, then KILL after 10 s)
#   benchmarks/etcd-cluster.sh status      etcdctl endpoint status of all members
#   benchmarks/etcd-cluster.sh leader-pid  pid of the current leader's process
#   benchmarks/etcd-cluster.sh pids        e1=PID,e2=PID,e3=PID (for the load generator's --cpu-pids)
#   benchmarks/etcd-cluster.sh endpoints   the client URLs, comma-separated
#
# Environment: ETCD_RUN_DIR (default benchmarks/target/etcd-cluster): data, logs and pid files. It is not
# wiped here; compare.sh starts from an empty one. ETCD_PORT_BASE (default 2379): member i (0..2) serves
# clients on BASE+10*i and peers on BASE+10*i+1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="${ETCD_RUN_DIR:-$ROOT/benchmarks/target/etcd-cluster}"
MEMBERS=(e1 e2 e3)

PORT_BASE="${ETCD_PORT_BASE:-2379}"
client_url() { echo "http://127.0.0.1:$((PORT_BASE + 10 * $1))"; }
peer_url() { echo "http://127.0.0.1:$((PORT_BASE + 1 + 10 * $1))"; }

endpoints() {
  local urls=()
  for i in 0 1 2; do urls+=("$(client_url "$i")"); done
  (IFS=,; echo "${urls[*]}")
}

install_etcd() {
  if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "etcd is not installed; as root: apt-get install etcd-server etcd-client" >&2
    exit 1
  fi
  echo "== installing etcd-server and etcd-client (the packaged service is kept from starting)"
  local policy=/usr/sbin/policy-rc.d
  local had_policy=""
  [[ -e $policy ]] && had_policy=1
  if [[ -z $had_policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null
  [[ -z $had_policy ]] && rm -f "$policy"
  return 0
}

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_members() {
  mkdir -p "$RUN"
  local cluster=()
  for i in 0 1 2; do cluster+=("${MEMBERS[$i]}=$(peer_url "$i")"); done
  local initial
  initial=$(IFS=,; echo "${cluster[*]}")
  for i in 0 1 2; do
    local name=${MEMBERS[$i]}
    if running "$name"; then
      continue
    fi
    # Defaults otherwise: --heartbeat-interval 100, --election-timeout 1000, WAL fsync on.
    nohup etcd --name "$name" --data-dir "$RUN/$name.data" \
      --listen-client-urls "$(client_url "$i")" --advertise-client-urls "$(client_url "$i")" \
      --listen-peer-urls "$(peer_url "$i")" --initial-advertise-peer-urls "$(peer_url "$i")" \
      --initial-cluster "$initial" --initial-cluster-token bench-etcd --initial-cluster-state new \
      --logger zap --log-outputs stderr >"$RUN/$name.log" 2>&1 &
    echo $! > "$RUN/$name.pid"
    echo "started etcd $name (pid $!, $(client_url "$i"))"
  done
}

wait_healthy() {
  local deadline=$((SECONDS + 60))
  # A put and a linearizable get through every member: each then has a leader and has caught up.
  for i in 0 1 2; do
    until etcdctl --endpoints "$(client_url "$i")" --command-timeout=2s put bench-ready "$i" >/dev/null 2>&1 \
        && etcdctl --endpoints "$(client_url "$i")" --command-timeout=2s get bench-ready >/dev/null 2>&1; do
      if (( SECONDS > deadline )); then
        echo "etcd member ${MEMBERS[$i]} not healthy after 60 s; see $RUN/${MEMBERS[$i]}.log" >&2
        return 1
      fi
      sleep 0.3
    done
  done
}

stop_members() {
  for name in "${MEMBERS[@]}"; do
    if running "$name"; then
      local pid
      pid=$(cat "$RUN/$name.pid")
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      echo "stopped etcd $name"
    fi
    rm -f "$RUN/$name.pid"
  done
}

leader_pid() {
  local deadline=$((SECONDS + 30))
  while (( SECONDS < deadline )); do
    for i in 0 1 2; do
      local name=${MEMBERS[$i]}
      running "$name" || continue
      # JSON: "leader" is the leader's member id, "header.member_id" the answering member's.
      local json
      json=$(etcdctl --endpoints "$(client_url "$i")" --command-timeout=2s endpoint status -w json 2>/dev/null) || continue
      local me leader
      me=$(grep -o '"member_id":[0-9]*' <<<"$json" | head -1 | cut -d: -f2)
      leader=$(grep -o '"leader":[0-9]*' <<<"$json" | head -1 | cut -d: -f2)
      if [[ -n $me && $me == "$leader" ]]; then
        cat "$RUN/$name.pid"
        return 0
      fi
    done
    sleep 0.2
  done
  echo "no etcd leader found in 30 s" >&2
  return 1
}

pids() {
  local out=()
  for name in "${MEMBERS[@]}"; do out+=("$name=$(cat "$RUN/$name.pid")"); done
  (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
  start) install_etcd; start_members; wait_healthy; echo "etcd cluster ready: $(endpoints)" ;;
  stop) stop_members ;;
  status) etcdctl --endpoints "$(endpoints)" endpoint status -w table ;;
  leader-pid) leader_pid ;;
  pids) pids ;;
  endpoints) endpoints ;;
  *) echo "usage: $0 start|stop|status|leader-pid|pids|endpoints" >&2; exit 2 ;;
esac
