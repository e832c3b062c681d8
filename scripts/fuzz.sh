#!/usr/bin/env bash
# Fuzzes one Jazzer target for a set time (regression mode, the default, runs in every `mvn verify`).
#   scripts/fuzz.sh MODULE TestClass#method [DURATION]     e.g. scripts/fuzz.sh datastore-node ClientSessionFuzzTest#clientBytes 10m
# New coverage goes to MODULE/.cifuzz-corpus/ (not checked in); a crashing input is written next to the
# seeds, src/test/resources/<package>/<TestClass>Inputs/<method>/crash-*, and becomes a regression input.
# Jazzer fuzzes one @FuzzTest per run. JUnit's own timeout (3m in reference-webserver) is switched off
# here: during fuzzing the whole run is one JUnit invocation.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,3p "$0"; exit 2; }
module=$1 target=$2 duration=${3:-5m}
cd "$(dirname "$0")/.."
# Only the default surefire execution: reference-webserver's second one (LargeResourceTest) would take
# -Dtest too and fuzz the same target a second time.
JAZZER_FUZZ=1 exec mvn -B -ntp ${MVN_OFFLINE:+-o} test-compile surefire:test@default-test -pl "$module" -am -Dtest="$target" \
  -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="$duration" \
  -Djunit.jupiter.execution.timeout.mode=disabled
