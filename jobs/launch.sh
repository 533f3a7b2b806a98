# Shared launcher of the lossagg jobs, sourced by jobs/lossagg-* with MAIN and NAME set.
#
# Two Spark lines, two jars (from `mvn -DskipTests package`):
#   target/spark-3.5/lossagg-spark-3.5_2.12-*.jar   Spark 3.5.x (Scala 2.12)
#   target/spark-4.0/lossagg-spark-4.0_2.13-*.jar   Spark 4.0, 4.1, 4.2 (Scala 2.13)
# spark-submit: when SPARK_HOME is set, the job runs through "$SPARK_HOME/bin/spark-submit" with the jar
#   of SPARK_HOME's Spark version (its RELEASE file, else its jars/spark-core_*.jar, else
#   `spark-submit --version`); `--master M` among the job's arguments goes to spark-submit, and
#   SPARK_SUBMIT_OPTS_EXTRA adds more spark-submit options (e.g. "--deploy-mode cluster --num-executors 20").
# embedded: otherwise, the job runs in this JVM on a local Spark (local[*], or `--master local[N]`), on
#   the Spark 4 line (Spark 4.0.1 from Maven) unless LOSSAGG_SPARK_LINE=3.5 asks for Spark 3.5.7; the
#   line's jar and its Maven Spark classpath are built when missing or older than the sources. A
#   cluster --master without SPARK_HOME is refused.
# LOSSAGG_SPARK_LINE (3.5 or 4.0) overrides the line; LOSSAGG_JAVA_OPTS replaces the embedded JVM's
# options (default -Xmx4g).
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

# The Spark version of a Spark installation, e.g. 4.2.0 (empty when it cannot be told).
spark_home_version() {
  local home="$1" v=""
  if [[ -r "$home/RELEASE" ]]; then
    v="$(sed -n 's/^Spark \([0-9][0-9.]*\).*/\1/p' "$home/RELEASE" | head -n 1)"
  fi
  if [[ -z "$v" ]]; then
    local core
    core="$(ls "$home"/jars/spark-core_2.1[23]-*.jar 2>/dev/null | head -n 1)"
    [[ -n "$core" ]] && v="$(basename "$core" .jar | sed 's/^spark-core_2\.1[23]-//')"
  fi
  if [[ -z "$v" && -x "$home/bin/spark-submit" ]]; then
    v="$("$home/bin/spark-submit" --version 2>&1 | sed -n 's/.*version \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
  fi
  echo "$v"
}

# The lossagg line (module folder suffix) for a Spark version: 3.5 or 4.0.
line_for_version() {
  case "$1" in
    3.5.*) echo 3.5 ;;
    4.0.*|4.1.*|4.2.*) echo 4.0 ;;
    *) echo "" ;;
  esac
}

if [[ -n "${LOSSAGG_SPARK_LINE:-}" ]]; then
  LINE="$LOSSAGG_SPARK_LINE"
  [[ "$LINE" == 3.5 || "$LINE" == 4.0 ]] || { echo "$NAME: LOSSAGG_SPARK_LINE must be 3.5 or 4.0, got '$LINE'" >&2; exit 2; }
elif [[ -n "${SPARK_HOME:-}" ]]; then
  version="$(spark_home_version "$SPARK_HOME")"
  LINE="$(line_for_version "$version")"
  if [[ -z "$LINE" ]]; then
    echo "$NAME: SPARK_HOME=$SPARK_HOME is Spark ${version:-of unknown version}; lossagg has jars for Spark 3.5.x (Scala 2.12) and Spark 4.0-4.2 (Scala 2.13) (set LOSSAGG_SPARK_LINE=3.5 or 4.0 to choose one)" >&2
    exit 2
  fi
else
  LINE=4.0
fi
case "$LINE" in
  3.5) ARTIFACT=lossagg-spark-3.5_2.12 ;;
  4.0) ARTIFACT=lossagg-spark-4.0_2.13 ;;
esac
MODULE_DIR="$ROOT/target/spark-$LINE"

if [[ -n "${SPARK_HOME:-}" ]]; then
  shopt -s nullglob
  jars=("$MODULE_DIR/$ARTIFACT"-*.jar)
  shopt -u nullglob
  if [[ ${#jars[@]} -eq 0 ]]; then
    echo "$NAME: no target/spark-$LINE/$ARTIFACT-*.jar for spark-submit; build it with: (cd $ROOT && mvn -q -DskipTests package)" >&2
    exit 2
  fi
  SUBMIT=("$SPARK_HOME/bin/spark-submit")
  [[ -n "$MASTER" ]] && SUBMIT+=(--master "$MASTER")
  # shellcheck disable=SC2086
  exec "${SUBMIT[@]}" ${SPARK_SUBMIT_OPTS_EXTRA:-} --class "$MAIN" "${jars[0]}" ${ARGS[@]+"${ARGS[@]}"}
fi

if [[ -n "$MASTER" && "$MASTER" != local* ]]; then
  echo "$NAME: --master $MASTER needs spark-submit: set SPARK_HOME to a Spark 3.5 or 4.x installation (without it the job runs on an embedded local Spark)" >&2
  exit 2
fi

JAR="$MODULE_DIR/$ARTIFACT-0.1.0-SNAPSHOT.jar"
CP_FILE="$MODULE_DIR/classpath.txt"
if [[ ! -f "$JAR" || ! -s "$CP_FILE" || "$ROOT/pom.xml" -nt "$CP_FILE" \
      || -n "$(find "$ROOT/src/main" "$ROOT/src/spark-$LINE/java" "$ROOT/src/core/pom.xml" "$ROOT/src/spark-$LINE/pom.xml" \
               -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
  echo "$NAME: building lossagg for Spark $LINE (mvn process-classes) ..." >&2
  # process-classes builds the core, the line's jar and its Spark classpath (target/spark-LINE/classpath.txt).
  (cd "$ROOT" && mvn -B -q -DskipTests process-classes -pl "src/spark-$LINE" -am) >&2
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
  -cp "$JAR:$(cat "$CP_FILE")" "$MAIN" ${ARGS[@]+"${ARGS[@]}"}
