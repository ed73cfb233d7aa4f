#!/usr/bin/env bash
# The action's main step: runs infra for INPUT_COMMAND (validate | plan |
# apply | destroy) in INPUT_WORKING_DIRECTORY with INPUT_ARGS. The last
# thing it does is `exec infra ...`, so infra itself is the step's process
# and receives GitHub's SIGINT / SIGTERM on cancellation (no shell in
# between to swallow them). apply and destroy first save a plan (with the
# args) and then apply exactly that file, so the summary shows what was done.
# Files for the report step (report.sh) go to INFRA_ACTION_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/action/common.sh
. "$here/common.sh"

command=${INPUT_COMMAND:-plan}
case "$command" in validate | plan | apply | destroy) ;; *)
  echo "::error::infra action: command must be validate, plan, apply or destroy (got '$command')" >&2
  exit 1 ;;
esac
cd "${INPUT_WORKING_DIRECTORY:-.}"
mkdir -p "$INFRA_ACTION_DIR"
rm -f "$INFRA_ACTION_DIR/plan.md"
# args split as a shell would (quotes kept), without evaluating anything.
mapfile -d '' -t args < <(python3 -c 'import shlex, sys; print("\0".join(shlex.split(sys.argv[1])), end="")' \
  "${INPUT_ARGS:-}")
[ -n "${INPUT_AWS_REGION:-}" ] && export AWS_REGION="$INPUT_AWS_REGION"
# OIDC: with role-to-assume infra requests GitHub's ID token itself
# (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, audience sts.amazonaws.com) and
# assumes the role with STS AssumeRoleWithWebIdentity.
[ -n "${INPUT_ROLE_TO_ASSUME:-}" ] && export AWS_ROLE_ARN="$INPUT_ROLE_TO_ASSUME"
export INFRA_ACTION_COMMAND="$command"

plan_file=$(action_plan_file)
case "$command" in
  validate)
    exec "$INFRA_BIN" validate "${args[@]}" ;;
  plan)
    rm -f "$plan_file"
    exec "$INFRA_BIN" plan -input=false -out="$plan_file" -markdown="$INFRA_ACTION_DIR/plan.md" "${args[@]}" ;;
  apply | destroy)
    if [ -n "${INPUT_PLAN_FILE:-}" ] && [ "$command" = apply ] && [ -f "$plan_file" ]; then
      # A plan saved by an earlier `plan` step: apply exactly it.
      "$INFRA_BIN" show -markdown "$plan_file" >"$INFRA_ACTION_DIR/plan.md"
    else
      rm -f "$plan_file"
      extra=()
      [ "$command" = destroy ] && extra=(-destroy)
      "$INFRA_BIN" plan -input=false "${extra[@]}" -out="$plan_file" -markdown="$INFRA_ACTION_DIR/plan.md" \
        "${args[@]}"
    fi
    # The saved plan carries everything else; only where the state is and
    # how to lock it are needed again.
    session=()
    for ((i = 0; i < ${#args[@]}; i++)); do
      case "${args[i]}" in
        -state=* | --state=* | -lock=* | --lock=* | -lock-timeout=* | --lock-timeout=*) session+=("${args[i]}") ;;
        -state | --state | -lock-timeout | --lock-timeout) session+=("${args[i]}" "${args[i + 1]:-}"); i=$((i + 1)) ;;
      esac
    done
    exec "$INFRA_BIN" apply -input=false "${session[@]}" "$plan_file" ;;
esac
