#!/usr/bin/env bash
# The compile-time budget of #14 / docs/performance.md: clean debug builds, one after another, each in a fresh
# target dir, of
#   floor     scripts/compile-budget/floor (reqwest 0.13 http2+rustls, tokio, serde, serde_json: the
#             dependencies any async JSON-over-HTTPS client compiles before its own code)
#   one       carewire --no-default-features --features docplanner,rustls   (the facade + one vendor)
#   all       carewire with its default features                              (the facade + all five vendors)
#   ring      carewire --no-default-features --features docplanner,rustls-ring  (one vendor on rustls + ring,
#             which uses RustCrypto's hmac/sha2 instead of aws-lc-rs: no target, printed for comparison)
# and prints each build's wall time and CPU time (user + system), medians over the rounds, and its ratio to
# the floor: the median of the rounds' ratios, each round's builds run back to back (in the order floor, one,
# all, then all, one, floor in the next round), so that a drift of the machine's speed between rounds cancels.
# The CPU ratio is the steadier one on a shared machine; the wall ratio is what you wait for.
#
#   scripts/compile-budget.sh            # 1 round (about 5 minutes on 2 cores)
#   scripts/compile-budget.sh 3          # 3 rounds, the configurations interleaved
#   TIMINGS=1 scripts/compile-budget.sh  # also keep cargo's --timings HTML report of each build
#   CONFIGS="floor ring" scripts/compile-budget.sh 2   # only these configurations (default: floor one all)
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

case " ${CONFIGS:-floor} " in *" floor "*) ;; *) echo "CONFIGS must include floor (the baseline of every ratio)" >&2; exit 2 ;; esac

timings=()
[ "${TIMINGS:-0}" = 1 ] && timings=(--timings)

build() { # name, then the cargo build arguments; prints the wall and CPU seconds
  local name="$1"; shift
  local target="$work/target-$name"
  rm -rf "$target"
  CARGO_TARGET_DIR="$target" /usr/bin/time -f '%e %U %S' -o "$work/time" cargo build --quiet "${timings[@]}" "$@" >/dev/null
  if [ "${TIMINGS:-0}" = 1 ]; then
    mkdir -p target/compile-budget
    cp "$target"/cargo-timings/cargo-timing.html "target/compile-budget/$name.html" 2>/dev/null || true
  fi
  rm -rf "$target"
  awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$work/time"
}

# Per configuration, space-separated over the rounds: wall and CPU seconds, and their ratios to the floor's.
declare -A wall=() cpu=() wall_ratio=() cpu_ratio=()
for round in $(seq 1 "$rounds"); do
  read -r -a configs <<<"${CONFIGS:-floor one all}"
  if [ $((round % 2)) = 0 ]; then
    for ((i = 0, j = ${#configs[@]} - 1; i < j; i++, j--)); do
      t="${configs[i]}" configs[i]="${configs[j]}" configs[j]="$t"
    done
  fi
  declare -A w=() c=()
  for name in "${configs[@]}"; do
    case "$name" in
      floor) t=$(build floor --manifest-path "$work/floor/Cargo.toml") ;;
      one) t=$(build one --locked -p carewire --no-default-features --features docplanner,rustls) ;;
      all) t=$(build all --locked -p carewire) ;;
      ring) t=$(build ring --locked -p carewire --no-default-features --features docplanner,rustls-ring) ;;
      *) echo "unknown configuration: $name (floor, one, all, ring)" >&2; exit 2 ;;
    esac
    read -r w[$name] c[$name] <<<"$t"
    printf 'round %d  %-5s %7.1f s wall %7.1f s CPU\n' "$round" "$name" "${w[$name]}" "${c[$name]}"
  done
  for name in "${configs[@]}"; do
    wall[$name]+=" ${w[$name]}" cpu[$name]+=" ${c[$name]}"
    wall_ratio[$name]+=" $(echo "${w[$name]} / ${w[floor]}" | bc -l)"
    cpu_ratio[$name]+=" $(echo "${c[$name]} / ${c[floor]}" | bc -l)"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
row() { # configuration, label, target; nothing when the configuration was not built
  [ -n "${wall[$1]:-}" ] || return 0
  printf '%-44s %8.1f s %8.1f s %8.2f %8.2f %8s\n' "$2" "$(echo "${wall[$1]}" | median)" \
    "$(echo "${cpu[$1]}" | median)" "$(echo "${wall_ratio[$1]}" | median)" "$(echo "${cpu_ratio[$1]}" | median)" "$3"
}
echo
printf '%-44s %10s %10s %8s %8s %8s\n' "build (clean, debug), medians of $rounds rounds" "wall" "CPU" "ratio" "CPU rat." "target"
row floor "floor: reqwest+tokio+serde+serde_json" ""
row one "carewire, one vendor (docplanner,rustls)" "<= 1.10"
row all "carewire, all five vendors (default)" "<= 1.40"
row ring "carewire, one vendor on ring (rustls-ring)" "-"
[ "${TIMINGS:-0}" = 1 ] && echo "cargo --timings reports: target/compile-budget/<configuration>.html"
exit 0
