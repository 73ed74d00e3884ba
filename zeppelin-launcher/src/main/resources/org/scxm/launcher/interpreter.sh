#!/usr/bin/env bash
# Starts one Zeppelin interpreter process; the Zeppelin server runs it (zeppelin.interpreter.remoterunner).
# Written by SCXM's ZeppelinHome. Zeppelin passes:
#   -d interpreterDir -c callbackHost -p callbackPort -r portRange -i interpreterGroupId -l localRepo -g settingName [-u user]
# The interpreter setting's upper-case properties arrive as environment variables: JAVA_HOME picks the JDK.
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
dir="" host="" port="" range=":" group=""
while getopts "d:c:p:r:i:l:g:u:" opt; do
  case "$opt" in
    d) dir="$OPTARG" ;; c) host="$OPTARG" ;; p) port="$OPTARG" ;; r) range="$OPTARG" ;; i) group="$OPTARG" ;;
    *) ;; # localRepo, setting name and user are not needed: no dependency download, no impersonation
  esac
done
java="java"
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; fi
runtime=("$home"/interpreter/zeppelin-interpreter-shaded-*.jar)
mkdir -p "$home/logs"
# huge pages for the heap, as ./scxm starts its JVM (see there)
thp="" thp_file=/sys/kernel/mm/transparent_hugepage/enabled
if [[ -r $thp_file ]] && ! grep -q '\[never\]' $thp_file; then thp=-XX:+UseTransparentHugePages; fi
exec "$java" ${SCXM_INTERPRETER_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED $thp \
  -cp "${runtime[0]}:$dir/*" org.apache.zeppelin.interpreter.remote.RemoteInterpreterServer \
  "$host" "$port" "$group" "$range" >>"$home/logs/interpreter-${group}.log" 2>&1
