# Sourced by aifl-prolog.sh and aifl-epilog.sh (installed beside them): their
# settings and the hand-off to `collector_agent`.
#
# Settings: /etc/default/aifl-collector (also the agent unit's environment
# file; another file with AIFL_COLLECTOR_CONF): AIFL_AGENT (the binary),
# AIFL_SPOOL_DIR, AIFL_AGENT_USER (the agent's user: request files are
# written as that user, since the spool is 0700; empty = as the caller),
# AIFL_CLUSTER (the agent's --cluster, the first part of run ids).
PATH=/usr/sbin:/usr/bin:/sbin:/bin
aifl_conf=${AIFL_COLLECTOR_CONF:-/etc/default/aifl-collector}
# shellcheck source=/dev/null
[[ -r $aifl_conf ]] && . "$aifl_conf"
AIFL_AGENT=${AIFL_AGENT:-/usr/local/bin/collector_agent}
AIFL_SPOOL_DIR=${AIFL_SPOOL_DIR:-/var/spool/aifl-collector}
AIFL_AGENT_USER=${AIFL_AGENT_USER-aifl-collector}
AIFL_CLUSTER=${AIFL_CLUSTER:-cluster}

# aifl_log MESSAGE: to stderr (slurmd's log) and syslog.
aifl_log() {
  echo "$aifl_script: job ${SLURM_JOB_ID:-?}: $*" >&2
  logger -t "$aifl_script" -- "job ${SLURM_JOB_ID:-?}: $*" 2>/dev/null || true
}

# aifl_agent COMMAND...: runs COMMAND (an `env -i … collector_agent …` line)
# as AIFL_AGENT_USER when root, bounded to 10 s; logs a failure, never fails.
aifl_agent() {
  local cmd=("$@") out
  if [[ -n $AIFL_AGENT_USER && $(id -u) -eq 0 ]]; then
    cmd=(setpriv "--reuid=$AIFL_AGENT_USER" "--regid=$(id -g "$AIFL_AGENT_USER")" --clear-groups
      "${cmd[@]}")
  fi
  if ! out=$(timeout 10 "${cmd[@]}" 2>&1); then
    aifl_log "collector_agent failed: $out"
  fi
  return 0
}
