#!/bin/bash
# The Slurm prolog/epilog (deploy/slurm/) with the real thing: Debian's munge
# and slurm-wlm run a one-node cluster on loopback (munged, slurmctld and
# slurmd in the foreground, a generated slurm.conf with our Prolog/Epilog,
# gres/gpu over two stand-in device nodes). The collector agent runs as an
# unprivileged user (nobody) on its control folder with two replayed GPUs
# (--replay_devices). A job submitted as another user (daemon) with
# `--gres=gpu:1 --comment="AIFL_MODEL_ID=… AIFL_PURPOSE=…"` must reach the
# agent: RunStarted with the right run id, job id, user pseudonym (not the
# clear name), model id, purpose and GPU; RunEnded with the job's exit code.
# A job without GPUs is not reported. Every daemon started here is stopped,
# and the test is bounded (each wait has a limit).
set -euo pipefail
source common/testonly/test_lib.sh
A=$(realpath "$1")        # collector_agent
PROLOG=$(realpath "$2")   # deploy/slurm/aifl-prolog.sh
EPILOG=$(realpath "$3")   # deploy/slurm/aifl-epilog.sh
PROTO_ROOT=$PWD           # runfiles root: schema/*.proto
for tool in munged slurmctld slurmd sbatch squeue sinfo protoc setpriv; do
  command -v $tool >/dev/null || fail "$tool not found: run scripts/bootstrap.sh (munge, slurm-wlm)"
done
[[ $(id -u) -eq 0 ]] || fail "needs root (slurmd runs the prolog as root)"
agent_user=nobody job_user=daemon
host=$(hostname)

# Under /tmp, not TEST_TMPDIR: the job's user and the agent's user must
# reach slurm.conf, munge's socket and the agent binary.
tmp=$(mktemp -d /tmp/aifl-slurm-test.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # Bazel's timeout: still stop the daemons
show_logs() {
  for f in "$tmp"/log/*; do echo "== $f"; tail -n 20 "$f"; done >&2
}
# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
  local limit=$1 what=$2; shift 2
  for _ in $(seq $((limit * 5))); do "$@" && return 0; sleep 0.2; done
  show_logs
  fail "timed out after ${limit}s waiting for $what"
}
mkdir -p "$tmp"/{bin,munge,state,slurmd,log,out,dev}
chmod 711 "$tmp/munge"

# The agent, as its own unprivileged user, with its spool and two GPUs.
cp "$A" "$tmp/bin/collector_agent"
chmod 755 "$tmp/bin/collector_agent"
mkdir -p "$tmp/spool"
head -c 48 /dev/urandom >"$tmp/secret"
chown $agent_user "$tmp/spool" "$tmp/out" "$tmp/secret"
cat >"$tmp/devices.replay" <<DEVICES
aifl-replay v1
device 0 GPU-00000000-0000-0000-0000-000000000000 0 580.65.06 NVIDIA H100 80GB HBM3
device 1 GPU-11111111-1111-1111-1111-111111111111 0 580.65.06 NVIDIA H100 80GB HBM3
DEVICES
setpriv --reuid=$agent_user --regid=nogroup --clear-groups \
  "$tmp/bin/collector_agent" run --spool_dir="$tmp/spool" --out_dir="$tmp/out" \
  --replay_devices="$tmp/devices.replay" --cluster=aifltest --node="$host" \
  --secret_file="$tmp/secret" --summary_socket= >"$tmp/log/agent.out" 2>"$tmp/log/agent.err" &
agent=$!
pids+=($agent)

# The prolog/epilog read their settings from this file (slurm.conf names a
# program without arguments, so a two-line wrapper points them at it).
cat >"$tmp/aifl-collector.conf" <<CONF
AIFL_AGENT=$tmp/bin/collector_agent
AIFL_SPOOL_DIR=$tmp/spool
AIFL_AGENT_USER=$agent_user
AIFL_CLUSTER=aifltest
CONF
for which in prolog epilog; do
  script=$PROLOG
  [[ $which == epilog ]] && script=$EPILOG
  printf '#!/bin/bash\nexport AIFL_COLLECTOR_CONF=%q\nexec %q\n' "$tmp/aifl-collector.conf" "$script" \
    >"$tmp/$which"
  chmod 755 "$tmp/$which"
done

# munge: a fresh key, a private socket.
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/sock" \
  --pid-file="$tmp/munge/pid" --seed-file="$tmp/munge/seed" --log-file="$tmp/log/munged.log" \
  --num-threads=2 2>>"$tmp/log/munged.log" &
pids+=($!)
wait_for 10 "munged" test -S "$tmp/munge/sock"

# Stand-in GPU device nodes for gres/gpu (slurmd only stats them).
mknod "$tmp/dev/nvidia0" c 195 0
mknod "$tmp/dev/nvidia1" c 195 1
ctld_port=$(free_port)
slurmd_port=$(free_port)
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=aifltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/slurmd
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
# No cgroups in a container: track processes by parent id, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
GresTypes=gpu
Prolog=$tmp/prolog
Epilog=$tmp/epilog
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=10 State=UP
CONF
echo "NodeName=$host Name=gpu File=$tmp/dev/nvidia[0-1]" >"$tmp/gres.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { [[ $(timeout 10 sinfo --noheader --nodes="$host" --format=%t 2>/dev/null) == idle ]]; }
wait_for 30 "the node to be idle" node_idle

submit() {  # as the job's user, who must not be root
  timeout 30 setpriv --reuid=$job_user --regid=$job_user --clear-groups \
    env SLURM_CONF="$SLURM_CONF" sbatch --parsable --chdir=/tmp --output=/dev/null "$@"
}
gpu_job=$(submit --gres=gpu:1 --comment="AIFL_MODEL_ID=m-7b AIFL_PURPOSE=PRE_TRAINING note=free-text" \
  --wrap="sleep 1; exit 3")
cpu_job=$(submit --comment="AIFL_MODEL_ID=m-cpu" --wrap="true")
echo "  submitted job $gpu_job (1 GPU, model m-7b) and job $cpu_job (no GPU) as $job_user"
jobs_done() {
  local queued
  queued=$(timeout 10 squeue --noheader --jobs="$gpu_job,$cpu_job" 2>/dev/null) && [[ -z $queued ]]
}
wait_for 60 "both jobs to finish" jobs_done

# The agent applies control requests once a second and writes envelopes
# (development sink: "AIFL-DEV-UNSIGNED v1\n<seq>\n<type>\n<payload>").
payload_of() {  # TYPE: decoded payloads of that type, one after another
  local f
  for f in "$tmp"/out/*.env; do
    [[ -e $f && $(sed -n 3p "$f") == "aifl.collector.v1.$1" ]] || continue
    tail -n +4 "$f" | protoc --decode="aifl.collector.v1.$1" -I"$PROTO_ROOT" schema/collector.proto
  done
}
ended() { payload_of RunEnded | grep -q "run_id: \"aifltest/$gpu_job\""; }
wait_for 20 "the agent's RunEnded" ended

started=$(payload_of RunStarted)
echo "$started" | sed 's/^/    /'
pseudonym="hmac-sha256:$(printf %s $job_user | openssl dgst -sha256 -mac HMAC \
  -macopt hexkey:"$(sha256sum "$tmp/secret" | cut -d' ' -f1)" | awk '{print $NF}')"
expect() { grep -qF -- "$1" <<<"$started" || fail "RunStarted lacks: $1"; }
expect "run_id: \"aifltest/$gpu_job\""
expect "scheduler_job_id: \"$gpu_job\""
expect "user_pseudonym: \"$pseudonym\""
expect "model_id: \"m-7b\""
expect "purpose: PRE_TRAINING"
expect "uuid: \"GPU-00000000-0000-0000-0000-000000000000\""
if grep -q "\"$job_user\"" <<<"$started"; then fail "the clear user name was recorded"; fi
[[ $(grep -c '^run_id' <<<"$started") -eq 1 ]] || fail "want one RunStarted (the GPU-less job is skipped)"
run_ended=$(payload_of RunEnded)
echo "$run_ended" | sed 's/^/    /'
grep -q "exit_code: 3" <<<"$run_ended" || fail "RunEnded: want exit_code 3"
[[ -z $(ls -A "$tmp/spool/control" 2>/dev/null) ]] || fail "control requests left unapplied"
if grep -q "control request" "$tmp/log/agent.err"; then cat "$tmp/log/agent.err"; fail "agent refused a request"; fi

kill -TERM $agent
rc=0
wait $agent || rc=$?
[[ $rc -eq 0 ]] || { cat "$tmp/log/agent.err"; fail "agent exit $rc"; }
grep -q "^stopped: " "$tmp/log/agent.out" || fail "agent summary line"
echo PASS
