#!/usr/bin/env bash
# The action and workflow files pass @action-validator/cli (installed from
# npm into .tools/npm by scripts/install-deps.sh; missing = a loud failure,
# never a skip), a broken workflow does not (so the check can fail), the
# action's scripts parse, and the example OIDC stack validates.
# Usage: validate_test.sh SOURCE_DIR INFRA_BINARY
set -euo pipefail
src=$1 infra=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
validator=${INFRA_ACTION_VALIDATOR:-$src/.tools/npm/node_modules/.bin/action-validator}
[ -x "$validator" ] || fail "action-validator not found at $validator: run scripts/install-deps.sh (npm install of @action-validator/cli)"

files=("$src/action.yml" "$src"/.github/workflows/*.yml "$src"/examples/github/*.yml)
[ ${#files[@]} -ge 5 ] || fail "expected action.yml, ci.yml, release.yml, deploy.yml, dr-failover.yml; found ${files[*]}"
for f in "${files[@]}"; do
  "$validator" "$f" >/dev/null 2>"${TMPDIR:-/tmp}/av.$$" || { cat "${TMPDIR:-/tmp}/av.$$" >&2; fail "$f does not validate"; }
  echo "ok: ${f#"$src"/}"
done
rm -f "${TMPDIR:-/tmp}/av.$$"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/infra-av-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf 'name: broken\non: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n' >"$tmp/broken.yml"
if "$validator" "$tmp/broken.yml" >/dev/null 2>&1; then fail "the validator accepted a broken workflow"; fi

bash -n "$src"/scripts/action/*.sh || fail "an action script does not parse"
python3 -m py_compile "$src/scripts/action/report.py" || fail "report.py does not compile"
grep -q "exec \"\$INFRA_BIN\" apply" "$src/scripts/action/run.sh" || fail "run.sh must exec infra"

"$infra" validate -C "$src/examples/github/oidc-role" -var repository=acme/infra-stacks ||
  fail "examples/github/oidc-role does not validate"
echo PASS
