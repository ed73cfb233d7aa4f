# Shared by the action's scripts (sourced): where infra is and where the
# step files go. INFRA_BIN: the infra to run (default: `infra` on PATH);
# INFRA_ACTION_DIR: the step files (default: $RUNNER_TEMP/infra-action).
INFRA_BIN=${INFRA_BIN:-$(command -v infra || echo infra)}
INFRA_ACTION_DIR=${INFRA_ACTION_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/infra-action}
export INFRA_BIN INFRA_ACTION_DIR

# The plan file: INPUT_PLAN_FILE (relative to the working directory), else
# plan.infra in INFRA_ACTION_DIR.
action_plan_file() {
  local f=${INPUT_PLAN_FILE:-$INFRA_ACTION_DIR/plan.infra}
  case "$f" in /*) echo "$f" ;; *) echo "$PWD/$f" ;; esac
}
