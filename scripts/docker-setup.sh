#!/usr/bin/env bash
# Makes a Docker engine and the chaos tests' base image available on this machine, without any registry.
#   1. installs Debian's docker.io when `dockerd` is missing (its service is kept from starting: many of
#      our machines have no systemd, and the engine is started below either way);
#   2. starts dockerd in the background when `docker info` does not answer, and waits for it;
#   3. builds the local image gravwell-datastore-base:jdk17 from the host's JDK (plus the shared libraries
#      it needs) with `docker import`, unless it exists already.
# Idempotent: every step checks before it acts. Run as root. Exit status 0 means the tests can use Docker;
# non-zero means they will skip (loudly) and this script said why on stderr.
set -euo pipefail

IMAGE="${GRAVWELL_BASE_IMAGE:-gravwell-datastore-base:jdk17}"
LOG_DIR="${GRAVWELL_DOCKER_LOG_DIR:-/var/log}"

say() { echo "== docker-setup: $*"; }
die() { echo "== docker-setup: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages, starts dockerd and edits iptables)"

# These machines may ship a bare docker client (e.g. /usr/local/bin/docker) without an engine: look for
# dockerd itself.
if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io"
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
  rm -f /usr/sbin/policy-rc.d
  trap - EXIT
fi

if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $LOG_DIR/dockerd.log)"
  nohup dockerd >"$LOG_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -20 "$LOG_DIR/dockerd.log" >&2 || true; die "dockerd did not answer within 60 s"; }
fi
say "engine $(docker version --format '{{.Server.Version}}')"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "image $IMAGE present"
  exit 0
fi

# The JDK 17 the build uses; Debian's java-17 links into /etc and /usr/lib, so copy with symlinks resolved.
JAVA_BIN="$(readlink -f "$(command -v java)")"
JDK="${GRAVWELL_BASE_JDK:-$(dirname "$(dirname "$JAVA_BIN")")}"
"$JDK/bin/java" -version 2>&1 | grep -q '"17' || die "$JDK is not a JDK 17 (set GRAVWELL_BASE_JDK)"

ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
say "building $IMAGE from $JDK"
mkdir -p "$ROOT/opt/jdk" "$ROOT/bin" "$ROOT/etc" "$ROOT/tmp" "$ROOT/data"
chmod 1777 "$ROOT/tmp"
for part in bin conf lib release; do
  # -L resolves Debian's absolute symlinks; a dangling optional link (desktop accessibility) is skipped.
  cp -rL "$JDK/$part" "$ROOT/opt/jdk/" 2>/dev/null || true
done
[ -x "$ROOT/opt/jdk/bin/java" ] && [ -f "$ROOT/opt/jdk/lib/server/libjvm.so" ] || die "copying the JDK from $JDK failed"
rm -f "$ROOT/opt/jdk/lib/src.zip" "$ROOT/opt/jdk/lib/ct.sym"

copy_with_parents() { # copies a file (resolving links) to the same path inside the image, plus the link name
  local f="$1"
  [ -e "$f" ] || return 0
  mkdir -p "$ROOT$(dirname "$f")"
  cp -L "$f" "$ROOT$f"
  local real; real="$(readlink -f "$f")"
  if [ "$real" != "$f" ]; then mkdir -p "$ROOT$(dirname "$real")"; cp -L "$f" "$ROOT$real"; fi
}

# Every shared library the JDK's binaries and native libraries list, the loader, name-service modules.
find "$ROOT/opt/jdk" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\/.*ld-linux/ {print $1}' | sort -u \
  | while read -r lib; do copy_with_parents "$lib"; done
for f in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
         /lib/x86_64-linux-gnu/libresolv.so.2; do
  copy_with_parents "$f"
done
# /bin/sh (dash) and what it needs, so that `docker exec CONTAINER sh -c ...` works in the nodes.
cp -L /bin/sh "$ROOT/bin/sh"
ldd /bin/sh | awk '/=>/ && $3 ~ /^\// {print $3}' | while read -r lib; do copy_with_parents "$lib"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\n' > "$ROOT/etc/group"
printf 'hosts: files dns\n' > "$ROOT/etc/nsswitch.conf"

tar -C "$ROOT" -c . | docker import \
  -c 'ENV PATH=/opt/jdk/bin:/bin:/usr/bin' -c 'ENV JAVA_HOME=/opt/jdk' -c 'WORKDIR /opt/gravwell' \
  -m "JDK 17 from the host for the chaos tests" - "$IMAGE" >/dev/null
version="$(docker run --rm --network none "$IMAGE" java -version 2>&1)" || die "the new image cannot run java: $version"
say "image java: ${version%%$'\n'*}"
say "image $IMAGE built ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
