# Sourced by scripts/sanitize.sh, scripts/build.sh and scripts/test.sh: the
# sanitized tree for a -fsanitize= list, configured one way for all three
# (docs/testing.md, "Sanitizers"), and the runtime options its tests run with.
#   sanitizer_dir KIND         prints build-asan or build-tsan
#   sanitizer_configure KIND   configures that tree
#   sanitizer_env              exports ASAN/LSAN/UBSAN/TSAN_OPTIONS (kept if already set)
# ASan + UBSan build at -Og without debug info: its compile costs about what
# an -O2 build does (x1.0-1.25 per TU, measured), -O1 x1.6-2.2, and -Og runs
# faster than -O0. Function names come from the symbol table; add -g1 to
# INFRA_SANITIZE_FLAGS for line numbers. TSan builds -O1 -g1 (at -O0 it is
# too slow) and only the libraries its tests need (tests/CMakeLists.txt,
# concurrency_tests).
sanitizer_dir() { if [ "$1" = thread ]; then echo build-tsan; else echo build-asan; fi; }
sanitizer_configure() {
  local opt=${INFRA_SANITIZE_FLAGS:--Og}
  [ "$1" = thread ] && opt=${INFRA_SANITIZE_FLAGS:--O1 -g1}
  cmake -S . -B "$(sanitizer_dir "$1")" -G Ninja -DINFRA_WERROR=ON -DINFRA_BUILD_BENCH=OFF -DINFRA_SANITIZE="$1" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt" >/dev/null
}
sanitizer_env() {
  local supp
  supp="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp}
}
