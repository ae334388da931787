#!/bin/bash
# The Slurm prolog/epilog with faked slurmd environments (no Slurm, no
# root): what they hand to `collector_agent job-start|job-end` (the request
# files in the control folder, key=value lines) for the cases the one-node
# cluster test does not reach: a comment word with an unsafe value (ignored,
# never evaluated), a job without GPUs, a signal-ended job (128+signal), an
# epilog without an exit code (-1, never 0), a failing agent (exit 0 all the
# same: a failing prolog would drain the node).
set -euo pipefail
source common/testonly/test_lib.sh
A=$(realpath "$1")
PROLOG=$(realpath "$2")
EPILOG=$(realpath "$3")
tmp=${TEST_TMPDIR:?}
spool=$tmp/spool
cat >"$tmp/conf" <<CONF
AIFL_AGENT=$A
AIFL_SPOOL_DIR=$spool
AIFL_AGENT_USER=
AIFL_CLUSTER=c1
CONF
# As slurmd runs them: a clean environment (plus where the settings are).
slurmd_env() { env -i AIFL_COLLECTOR_CONF="$tmp/conf" "$@"; }
requests() { cat "$spool"/control/*"$1" 2>/dev/null || true; }
reset() { rm -rf "$spool"; mkdir "$spool"; }  # the agent (or tmpfiles) makes it

# A comment with a safe declaration, free text, and an unsafe value.
reset
slurmd_env SLURM_JOB_ID=7 SLURM_JOB_USER=alice SLURM_JOB_GPUS=0,1 \
  SLURM_JOB_COMMENT="AIFL_MODEL_ID=org/m-1 AIFL_RUN_LABEL=\$(touch\ $tmp/pwned) hello AIFL_PURPOSE=FINE_TUNING" \
  "$PROLOG" 2>"$tmp/err" || fail "prolog exit $?"
start=$(requests .start)
for want in job=7 user=alice gpus=0,1 model=org/m-1 purpose=FINE_TUNING; do
  grep -qx "$want" <<<"$start" || fail "start request lacks $want: $start"
done
grep -q '^label=' <<<"$start" && fail "unsafe label passed on"
[[ -e $tmp/pwned ]] && fail "the comment was evaluated"
grep -q "ignored comment word 'AIFL_RUN_LABEL'" "$tmp/err" || { cat "$tmp/err"; fail "no log line"; }

# No GPUs: nothing to measure, no request.
reset
slurmd_env SLURM_JOB_ID=8 SLURM_JOB_USER=bob SLURM_JOB_COMMENT="AIFL_MODEL_ID=m" "$PROLOG" || fail "prolog exit"
slurmd_env SLURM_JOB_ID=8 SLURM_JOB_EXIT_CODE2=0:0 "$EPILOG" || fail "epilog exit"
[[ -z $(ls -A "$spool/control" 2>/dev/null) ]] || fail "a GPU-less job was handed on"

# Exit codes: normal, by signal (9 -> 137), unknown (-1).
for case in "3:0 exit=3" "0:9 exit=137" " exit=-1"; do
  reset
  code2=${case% *}
  slurmd_env SLURM_JOB_ID=9 SLURM_JOB_GPUS=0 ${code2:+SLURM_JOB_EXIT_CODE2=$code2} "$EPILOG" ||
    fail "epilog exit"
  end=$(requests .end)
  grep -qx "${case#* }" <<<"$end" || fail "SLURM_JOB_EXIT_CODE2='$code2': want ${case#* }, got: $end"
  grep -qx "run=c1/9" <<<"$end" || fail "run id: $end"
done

# The agent fails (its spool is a file): logged, exit 0.
reset
rm -rf "$spool"; touch "$spool"
slurmd_env SLURM_JOB_ID=10 SLURM_JOB_GPUS=0 "$PROLOG" 2>"$tmp/err" || fail "prolog failed the job"
grep -q "collector_agent failed" "$tmp/err" || { cat "$tmp/err"; fail "failure not logged"; }
echo PASS
