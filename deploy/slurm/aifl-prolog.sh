#!/bin/bash
# Slurm Prolog (slurm.conf: Prolog=/usr/local/libexec/aifl/aifl-prolog.sh):
# tells this node's collector agent that a job starts, through the agent's
# control folder (`collector_agent job-start`, collector/README.md "Job
# hand-off"). Runs as root (SlurmdUser) with Slurm's prolog environment.
#
# What it passes: SLURM_JOB_ID, SLURM_JOB_USER (pseudonymised by the agent),
# SLURM_JOB_ACCOUNT (when accounting is on), the job's GPUs (SLURM_JOB_GPUS,
# set when the job has gres/gpu), and the job's declarations from its
# comment: `sbatch --comment="AIFL_MODEL_ID=m-7b AIFL_PURPOSE=PRE_TRAINING"`.
# Slurm 22.05 puts the comment in the prolog environment as SLURM_JOB_COMMENT
# (checked by deploy/slurm_test.sh with Debian's slurm-wlm); older Slurm
# releases do not, and the script then asks squeue for it (%k). A job's own
# environment variables never reach the prolog, so `--export=AIFL_MODEL_ID=…`
# does NOT declare a model: use the comment. Recognised words in the comment:
# AIFL_MODEL_ID, AIFL_PURPOSE (a RunPurpose name), AIFL_PLANNED_FLOP,
# AIFL_RUN_LABEL, each NAME=value without spaces; other words are ignored.
#
# A job without GPUs is skipped. The prolog always exits 0: a failing prolog
# would drain the node and requeue the job, and a ledger problem must never
# stop the factory. Failures go to stderr (slurmd's log) and syslog.
#
# Settings (/etc/default/aifl-collector): aifl-slurm-lib.sh, installed beside.
set -u
aifl_script=aifl-prolog
# shellcheck source=deploy/slurm/aifl-slurm-lib.sh
. "$(dirname "$(realpath "$0")")/aifl-slurm-lib.sh"

[[ -n ${SLURM_JOB_ID:-} ]] || { aifl_log "no SLURM_JOB_ID: not run by slurmd"; exit 0; }
[[ -n ${SLURM_JOB_GPUS:-} ]] || exit 0  # no GPUs: nothing to measure

comment=${SLURM_JOB_COMMENT-}
if [[ -z ${SLURM_JOB_COMMENT+set} ]]; then
  comment=$(timeout 10 squeue --noheader --jobs="$SLURM_JOB_ID" --format=%k 2>/dev/null || true)
  [[ $comment == "(null)" ]] && comment=""
fi

# Only the four declaration words, values limited to a safe alphabet: the
# comment is written by the job's user, so nothing in it is evaluated.
declared=()
for word in $comment; do
  case "$word" in
    AIFL_MODEL_ID=* | AIFL_PURPOSE=* | AIFL_PLANNED_FLOP=* | AIFL_RUN_LABEL=*)
      if [[ ${word#*=} =~ ^[A-Za-z0-9._:/@+-]{1,200}$ ]]; then
        declared+=("$word")
      else
        aifl_log "ignored comment word '${word%%=*}': value not in [A-Za-z0-9._:/@+-]{1,200}"
      fi
      ;;
  esac
done

aifl_agent env -i "SLURM_JOB_ID=$SLURM_JOB_ID" "SLURM_JOB_USER=${SLURM_JOB_USER:-}" \
  "SLURM_JOB_ACCOUNT=${SLURM_JOB_ACCOUNT:-}" "SLURM_JOB_GPUS=$SLURM_JOB_GPUS" \
  "${declared[@]}" "$AIFL_AGENT" job-start "--spool_dir=$AIFL_SPOOL_DIR"
exit 0
