#!/usr/bin/env bash
# Local-mode benchmark of jobs/weather_job.py (the "Local Mode" column of the paper's Table 6) in the Spark image:
#   bash jobs/bench_local.sh [--size-mb 1000] [--seed 1] [--cpus 2] [--driver-memory 1g] [--table6] [--keep-data]
#                            [--java-options "JVM OPTIONS"] [--json FILE]
# 1. generates --size-mb of paper-shaped CSV (jobs/generate_dataset.py, weekly parts) unless the same dataset is
#    already there (it is deterministic), into $BENCH_DATA or ~/.cache/bigdata-platform/weather-bench/<size>-<seed>;
# 2. runs `spark-submit --master local[*]` in a container limited to --cpus cores, the repo mounted read-only,
#    sampling the container's memory with `docker stats` while it runs;
# 3. prints rows/s, MB/s, MB/s per core (over the job, and over the whole run including JVM start), MB per CPU
#    second (the JVM's own CPU time: what a core does when it is really ours), the share of the cores the job got,
#    the driver JVM's peak RSS, the container's peak memory, and the job's stage times. --json FILE also writes them.
#    --table6 first runs the job on each weekly part alone, then on all of them, as the paper's Table 6 did.
# The data is removed afterwards unless --keep-data (or it was there before). MB = 10^6 bytes.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
size=1000 seed=1 cpus=2 driver_memory=1g keep=0 json="" table6=0 java_options=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --driver-memory) driver_memory=$2; shift 2 ;;
    --keep-data) keep=1; shift ;;
    --table6) table6=1; shift ;;
    --java-options) java_options=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench_local.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
spark_version=$(sed -n 's/^SPARK_VERSION=//p' "$repo/images/versions.env")
image=${SPARK_IMAGE:-bigdata-local/spark:$spark_version}
data=${BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform/weather-bench/${size}mb-seed${seed}}
work=$(mktemp -d)
name="weather-bench-$$"
cleanup() {
  docker rm -f "$name" "$name-gen" >/dev/null 2>&1 || true
  [ -z "${sampler:-}" ] || kill "$sampler" 2>/dev/null || true
  rm -rf "$work"
  if [ "$keep" = 0 ] && [ "${generated:-0}" = 1 ]; then rm -rf "$data"; fi
}
trap cleanup EXIT
log() { echo "bench_local.sh: $*" >&2; }
docker image inspect "$image" >/dev/null 2>&1 || { log "image $image is missing (bash bootstrap/docker/images.sh spark)"; exit 1; }
run_in_image() { # name, extra docker args..., -- command...
  local n=$1; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  docker run --rm --name "$n" -u "$(id -u):$(id -g)" -e HOME=/tmp -w /tmp -v "$repo":/repo:ro "${args[@]}" \
    --entrypoint sh "$image" -c "$*"
}

# --------------------------------------------------------------------------------------------------- dataset
have_data() {
  [ -f "$data/manifest.json" ] && grep -q "\"seed\": $seed," "$data/manifest.json" \
    && grep -q "\"target_bytes\": $(awk -v s="$size" 'BEGIN { printf "%d", s * 1000000 }')," "$data/manifest.json"
}
if have_data; then
  log "reusing $data"
else
  mkdir -p "$data" && rm -f "$data"/weather_*.csv "$data/manifest.json"
  generated=1
  log "generating ${size} MB into $data"
  run_in_image "$name-gen" --cpus 1 -v "$data":/data -- \
    "python3 /repo/jobs/generate_dataset.py --output /data --size-mb $size --seed $seed" 2>"$work/gen.log"
  cat "$work/gen.log" >&2
fi

# ------------------------------------------------------------------------------------------------------- job
mkdir -p "$work/out" && chmod 777 "$work/out"
run_job() { # label, input glob inside the container -> $work/<label>.summary, .mem, .secs
  local label=$1 input=$2 start end rc
  log "$label: the job on $input in local[*] with --cpus $cpus, driver memory $driver_memory"
  start=$(date +%s.%N)
  docker run -d --name "$name" --cpus "$cpus" -u "$(id -u):$(id -g)" -e HOME=/tmp -w /tmp \
    -v "$repo":/repo:ro -v "$data":/data:ro -v "$work/out":/out --entrypoint sh "$image" -c \
    "spark-submit --master 'local[*]' --driver-memory $driver_memory --driver-java-options '$java_options' \
       /repo/jobs/weather_job.py \
       --input-csv '$input' --output /out/$label" >/dev/null
  # docker stats streams one sample a second until the container is gone; keep the memory column
  docker stats --format '{{.MemUsage}}' "$name" >"$work/$label.mem" 2>/dev/null &
  sampler=$!
  rc=$(docker wait "$name")
  end=$(date +%s.%N)
  kill "$sampler" 2>/dev/null || true
  sampler=""
  docker logs "$name" >"$work/stdout.log" 2>"$work/stderr.log" || true
  docker rm -f "$name" >/dev/null 2>&1 || true
  if [ "$rc" != 0 ] || ! grep -q '^WEATHER_JOB_SUMMARY ' "$work/stdout.log"; then
    tail -n 40 "$work/stderr.log" >&2
    log "$label: the job failed (exit $rc)"
    exit 1
  fi
  grep '^WEATHER_JOB_SUMMARY ' "$work/stdout.log" | tail -1 | cut -d' ' -f2- >"$work/$label.summary"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' >"$work/$label.secs"
}
labels=()
if [ "$table6" = 1 ]; then
  for f in "$data"/weather_*.csv; do
    label=$(basename "$f" .csv)
    run_job "$label" "/data/$label.csv"
    labels+=("$label")
  done
fi
run_job all '/data/weather_*.csv'
labels+=(all)

# ---------------------------------------------------------------------------------------------------- report
report() {
  python3 - "$work" "$cpus" "$json" "$data" "$java_options" "${labels[@]}" <<'EOF'
import json, re, sys
work, cpus, out, data, java_options = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
labels = sys.argv[6:]
units = {"b": 1, "kib": 2**10, "mib": 2**20, "gib": 2**30, "kb": 1e3, "mb": 1e6, "gb": 1e9}


def one(label):
    s = json.load(open(f"{work}/{label}.summary"))
    peak = 0
    for line in open(f"{work}/{label}.mem", errors="replace"):
        for m in re.finditer(r"([0-9.]+)\s*([KMG]i?B|B)\s*/", line):
            peak = max(peak, float(m.group(1)) * units[m.group(2).lower()])
    mb = s["input_bytes"] / 1e6
    cores = s["cores"]
    return {
        "dataset": label, "files": s["input"]["files"], "mb": round(mb, 1), "rows": s["rows_read"],
        "rows_valid": s["rows_valid"], "rows_dropped": s["rows_dropped_total"], "cpus_limit": cpus,
        "spark_cores": cores, "job_s": s["job_s"], "wall_s_incl_jvm_start": s["wall_s"],
        "container_s": round(float(open(f"{work}/{label}.secs").read()), 2),
        "rows_per_s": round(s["rows_read"] / s["job_s"]),
        "mb_per_s": round(mb / s["job_s"], 1),
        "mb_per_s_per_core": round(mb / s["job_s"] / cores, 1),
        "mb_per_s_incl_jvm_start": round(mb / s["wall_s"], 1),
        "mb_per_s_per_core_incl_jvm_start": round(mb / s["wall_s"] / cores, 1),
        "driver_cpu_s": s.get("driver_cpu_s"), "mb_per_cpu_s": s.get("mb_per_cpu_s"),
        # the share of the cores the job actually got: well under 1 means other work on the machine took them
        "cpu_utilisation": round(s["driver_cpu_s"] / (s["job_s"] * cores), 2) if s.get("driver_cpu_s") else None,
        "driver_peak_rss_mb": s.get("driver_peak_rss_mb"),
        "container_peak_mem_mb": round(peak / 2**20, 1) if peak else None,
        "driver_cpu_by_thread_s": s.get("driver_cpu_by_thread_s"),
        "stages_s": s["stages_s"],
    }


runs = [one(label) for label in labels]
result = {"data": data, "java_options": java_options, "runs": runs,
          "paper_table6_local_mode_s": {"weather_1 (0.87GB)": 108, "weather_2 (0.98GB)": 134,
                                        "weather_3 (1.13GB)": 169, "weather_4 (1.42GB)": 206, "all (4.4GB)": 334}}
print(json.dumps(result, indent=2, ensure_ascii=False))
print(f"{'dataset':<10} {'MB':>8} {'rows':>10} {'job s':>7} {'+JVM s':>7} {'MB/s/core':>9} {'MB/CPU-s':>8} "
      f"{'cores got':>9} {'peak RSS MB':>11}", file=sys.stderr)
for r in runs:
    print(f"{r['dataset']:<10} {r['mb']:>8} {r['rows']:>10} {r['job_s']:>7} {r['wall_s_incl_jvm_start']:>7} "
          f"{r['mb_per_s_per_core']:>9} {r['mb_per_cpu_s']:>8} {r['cpu_utilisation']:>9} {r['driver_peak_rss_mb']:>11}",
          file=sys.stderr)
if out:
    with open(out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
EOF
}
if command -v python3 >/dev/null; then report; else cat "$work"/*.summary; fi
