#!/usr/bin/env bash
# Times `lab check` (stages 1 to 5) side by side with the two graders an instructor
# would otherwise write (benches/baseline/: one boto3 process; the AWS CLI and jq),
# all reading the same complete account through a lab sandbox of its own, on
# loopback. Prints each one's median wall time over RUNS runs after a warm-up, and
# its ratio to lab's.
#
#   benches/compare.sh [RUNS]      # default 15; the AWS CLI script runs 3 times
set -euo pipefail
runs=${1:-15}
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
lab=$PWD/target/release/lab
work=$(mktemp -d)
export LAB_SANDBOX_DIR=$work/sandbox LAB_STATE_DIR=$work/state
trap '"$lab" sandbox stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The tests' moto, when it is there, rather than an install of the sandbox's own.
if [ -z "${LAB_MOTO_PYTHON:-}" ] && [ -x .venv-moto/bin/python ]; then
  export LAB_MOTO_PYTHON=$PWD/.venv-moto/bin/python
fi
echo "building the lab's chain in a sandbox of its own..." >&2
"$lab" sandbox start >/dev/null
"$lab" run --sandbox --auto --through 5 --set email=learner@example.com >/dev/null
eval "$("$lab" sandbox env)"

echo "installing boto3 and the AWS CLI for the baselines..." >&2
python3 -m venv "$work/baseline"
"$work/baseline/bin/pip" install --quiet -r tests/aws-cli-requirements.txt boto3
export PATH=$work/baseline/bin:$PATH

"$work/baseline/bin/python" - "$runs" "$lab" <<'PYEND'
import statistics, subprocess, sys, time
runs, lab = int(sys.argv[1]), sys.argv[2]
graders = [
    ("lab check", [lab, "check"], runs),
    ("boto3 script", ["python", "benches/baseline/boto3_check.py"], runs),
    ("aws CLI + jq script", ["bash", "benches/baseline/awscli_check.sh"], 3),
]
medians = {}
for name, command, n in graders:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    times = []
    for _ in range(n):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"{name} did not pass the complete account:\n{done.stdout}")
    medians[name] = statistics.median(times)
base = medians["lab check"]
print(f"{'grader':<22}{'median':>12}{'vs lab':>10}   ({runs} runs; the CLI script 3)")
for name, median in medians.items():
    print(f"{name:<22}{median * 1000:>9.1f} ms{median / base:>9.1f}x")
PYEND
