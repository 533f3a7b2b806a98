# Shared launcher of the lossagg jobs, sourced by jobs/lossagg-* with MAIN and NAME set.
#
# spark-submit: when SPARK_HOME is set, the job runs through "$SPARK_HOME/bin/spark-submit" with the
#   shaded jar (target/lossagg-*.jar from `mvn -DskipTests package`); `--master M` among the job's
#   arguments goes to spark-submit, and SPARK_SUBMIT_OPTS_EXTRA adds more spark-submit options
#   (e.g. "--deploy-mode cluster --num-executors 20").
# embedded: otherwise, the job runs in this JVM on a local Spark (local[*], or `--master local[N]`),
#   on target/classes plus the Maven compile/provided classpath (Spark included). A cluster
#   --master without SPARK_HOME is refused.
# LOSSAGG_JAVA_OPTS replaces the embedded JVM's options (default -Xmx4g).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

MASTER=""
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) [[ $# -ge 2 ]] || { echo "$NAME: --master needs a value (local[*], yarn, k8s://..., spark://...)" >&2; exit 2; }
              MASTER="$2"; shift 2 ;;
    --master=*) MASTER="${1#--master=}"; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

if [[ -n "${SPARK_HOME:-}" ]]; then
  shopt -s nullglob
  jars=("$ROOT"/target/lossagg-*.jar)
  shopt -u nullglob
  if [[ ${#jars[@]} -eq 0 ]]; then
    echo "$NAME: no target/lossagg-*.jar for spark-submit; build it with: (cd $ROOT && mvn -q -DskipTests package)" >&2
    exit 2
  fi
  SUBMIT=("$SPARK_HOME/bin/spark-submit")
  [[ -n "$MASTER" ]] && SUBMIT+=(--master "$MASTER")
  # shellcheck disable=SC2086
  exec "${SUBMIT[@]}" ${SPARK_SUBMIT_OPTS_EXTRA:-} --class "$MAIN" "${jars[0]}" ${ARGS[@]+"${ARGS[@]}"}
fi

if [[ -n "$MASTER" && "$MASTER" != local* ]]; then
  echo "$NAME: --master $MASTER needs spark-submit: set SPARK_HOME to a Spark 3.5 installation (without it the job runs on an embedded local Spark)" >&2
  exit 2
fi

if [[ ! -d "$ROOT/target/classes/org/lossagg/jobs" || -n "$(find "$ROOT/src/main" -newer "$ROOT/target/classes" -type f -print -quit 2>/dev/null)" ]]; then
  echo "$NAME: compiling lossagg (mvn compile) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests compile) >&2
fi
CP_FILE="$ROOT/target/classpath.txt"
if [[ ! -s "$CP_FILE" || "$ROOT/pom.xml" -nt "$CP_FILE" ]]; then
  # includeScope=compile takes compile + provided: Spark is provided, and the embedded run needs it.
  (cd "$ROOT" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -DincludeScope=compile) >&2
fi

# The same list as pom.xml's spark.java17.opens property.
OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
)
PROPS=()
[[ -n "$MASTER" ]] && PROPS+=("-Dspark.master=$MASTER")

# shellcheck disable=SC2086
exec java ${LOSSAGG_JAVA_OPTS:--Xmx4g} "${OPENS[@]}" ${PROPS[@]+"${PROPS[@]}"} \
  -cp "$ROOT/target/classes:$(cat "$CP_FILE")" "$MAIN" ${ARGS[@]+"${ARGS[@]}"}
