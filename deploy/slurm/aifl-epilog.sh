#!/bin/bash
# Slurm Epilog (slurm.conf: Epilog=/usr/local/libexec/aifl/aifl-epilog.sh):
# tells this node's collector agent that a job ended (`collector_agent
# job-end run=<cluster>/<job> exit=<code>`). The run id's cluster part must
# be the agent's --cluster: both read AIFL_CLUSTER from
# /etc/default/aifl-collector. The exit code is the job's (the first field of
# SLURM_JOB_EXIT_CODE2, "exit:signal"; 128+signal when a signal ended it);
# when slurmd gives none, the request carries exit=-1 (unknown), never 0.
# Settings: aifl-slurm-lib.sh. Like the prolog, it always exits 0.
set -u
aifl_script=aifl-epilog
# shellcheck source=deploy/slurm/aifl-slurm-lib.sh
. "$(dirname "$(realpath "$0")")/aifl-slurm-lib.sh"

[[ -n ${SLURM_JOB_ID:-} ]] || { aifl_log "no SLURM_JOB_ID: not run by slurmd"; exit 0; }
[[ -n ${SLURM_JOB_GPUS:-} ]] || exit 0  # the prolog skipped it too

exit_code=-1
if [[ ${SLURM_JOB_EXIT_CODE2:-} =~ ^([0-9]+):([0-9]+)$ ]]; then
  exit_code=${BASH_REMATCH[1]}
  [[ ${BASH_REMATCH[2]} -ne 0 ]] && exit_code=$((128 + BASH_REMATCH[2]))
fi

aifl_agent env -i "$AIFL_AGENT" job-end "--spool_dir=$AIFL_SPOOL_DIR" \
  "run=$AIFL_CLUSTER/$SLURM_JOB_ID" "exit=$exit_code"
exit 0
