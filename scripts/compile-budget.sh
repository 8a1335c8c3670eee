#!/usr/bin/env bash
# The compile-time budget of #14 / docs/performance.md: clean debug builds, one after another, each in a fresh
# target dir, of
#   floor     scripts/compile-budget/floor (reqwest 0.13 http2+rustls, tokio, serde, serde_json: the
#             dependencies any async JSON-over-HTTPS client compiles before its own code)
#   one       carewire --no-default-features --features docplanner,rustls   (the facade + one vendor)
#   all       carewire with its default features                              (the facade + all five vendors)
# and prints each build's wall time, median over the rounds, and its ratio to the floor's median.
#
#   scripts/compile-budget.sh            # 1 round (about 5 minutes on 2 cores)
#   scripts/compile-budget.sh 3          # 3 rounds, the configurations interleaved
#   TIMINGS=1 scripts/compile-budget.sh  # also keep cargo's --timings HTML report of each build
#
# Run it on an otherwise idle machine: every build uses all cores. Versions come from the workspace's
# Cargo.lock (the floor is built from a copy of it), and registry sources must already be downloaded
# (`cargo fetch`), so only compilation is timed.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never

cargo fetch --locked --quiet
cp -r scripts/compile-budget/floor "$work/floor"
cp Cargo.lock "$work/floor/Cargo.lock"

timings=()
[ "${TIMINGS:-0}" = 1 ] && timings=(--timings)

build() { # name, then the cargo build arguments; prints the seconds
  local name="$1"; shift
  local target="$work/target-$name"
  rm -rf "$target"
  local start end
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$target" cargo build --quiet "${timings[@]}" "$@" >/dev/null
  end=$(date +%s.%N)
  if [ "${TIMINGS:-0}" = 1 ]; then
    mkdir -p target/compile-budget
    cp "$target"/cargo-timings/cargo-timing.html "target/compile-budget/$name.html" 2>/dev/null || true
  fi
  rm -rf "$target"
  echo "$end - $start" | bc
}

declare -A times
configs=(floor one all)
for round in $(seq 1 "$rounds"); do
  for name in "${configs[@]}"; do
    case "$name" in
      floor) t=$(build floor --manifest-path "$work/floor/Cargo.toml") ;;
      one) t=$(build one --locked -p carewire --no-default-features --features docplanner,rustls) ;;
      all) t=$(build all --locked -p carewire) ;;
    esac
    times[$name]="${times[$name]:-} $t"
    printf 'round %d  %-5s %7.1f s\n' "$round" "$name" "$t"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
floor=$(echo "${times[floor]}" | median)
echo
printf '%-46s %10s %8s %8s\n' "build (clean, debug)" "median" "ratio" "target"
printf '%-46s %8.1f s %8s %8s\n' "floor: reqwest+tokio+serde+serde_json" "$floor" "1.00" ""
one=$(echo "${times[one]}" | median)
all=$(echo "${times[all]}" | median)
printf '%-46s %8.1f s %8.2f %8s\n' "carewire, one vendor (docplanner,rustls)" "$one" "$(echo "$one / $floor" | bc -l)" "<= 1.10"
printf '%-46s %8.1f s %8.2f %8s\n' "carewire, all five vendors (default)" "$all" "$(echo "$all / $floor" | bc -l)" "<= 1.40"
[ "${TIMINGS:-0}" = 1 ] && echo "cargo --timings reports: target/compile-budget/{floor,one,all}.html"
exit 0
