#!/usr/bin/env bash
# JMH microbenchmarks of hermes-core (io.hermesnet.jmh in its test sources; see docs/performance-jmh.md):
#   1. compiles hermes-core's main and test classes (JMH's annotation processor generates the harness),
#   2. writes hermes-core's test-scope classpath to hermes-core/target/jmh-classpath.txt,
#   3. runs org.openjdk.jmh.Main with the arguments given to this script.
# Netty leak detection is off in the benchmark JVMs (the tests run it at paranoid; here it would be measured).
#
# Usage: bench/jmh.sh [JMH options] [benchmark regexps]
#   bench/jmh.sh                          every io.hermesnet.jmh benchmark, short (about 3 minutes)
#   bench/jmh.sh BroadcastBenchmark -p clients=100 -wi 5 -i 10
#   bench/jmh.sh -rf json -rff out.json   results also as JSON
#   bench/jmh.sh -l                       list the benchmarks;  bench/jmh.sh -h  JMH's options
# Short by default: each of -f 1 -wi 3 -i 5 -w 1s -r 1s is added unless that option is given (as its own word).
# Environment: JAVA (java), MVN_ARGS (extra Maven args), JMH_SKIP_BUILD=1 (reuse the last build)
set -euo pipefail
cd "$(dirname "$0")/.."

CP_FILE=hermes-core/target/jmh-classpath.txt
if [ "${JMH_SKIP_BUILD:-}" != 1 ] || [ ! -f "$CP_FILE" ]; then
    echo "jmh: building hermes-core test classes" >&2
    # shellcheck disable=SC2086
    mvn -q -B -ntp ${MVN_ARGS:-} -pl hermes-core -am test-compile
    # shellcheck disable=SC2086
    mvn -q -B -ntp ${MVN_ARGS:-} -pl hermes-core dependency:build-classpath \
        -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test
fi
CP="hermes-core/target/test-classes:hermes-core/target/classes:$(cat "$CP_FILE")"

# JMH refuses an option given twice, so a default goes in only when the caller did not give that option.
DEFAULTS=()
for opt_value in "-f 1" "-wi 3" "-i 5" "-w 1s" "-r 1s"; do
    opt=${opt_value%% *}
    given=0
    for arg in "$@"; do
        if [ "$arg" = "$opt" ]; then given=1; fi
    done
    if [ $given = 0 ]; then
        DEFAULTS+=("$opt" "${opt_value#* }")
    fi
done
set -- "${DEFAULTS[@]}" "$@"
exec "${JAVA:-java}" -Dio.netty.leakDetection.level=disabled -cp "$CP" org.openjdk.jmh.Main "$@"
