#!/usr/bin/env python3
"""The action's report step (runs after run.sh, also when it failed).

Writes the outputs (exitcode, has-changes, summary) to $GITHUB_OUTPUT, the
Markdown plan to $GITHUB_STEP_SUMMARY (always), and, with comment-on-pr on
and a pull_request event, one sticky PR comment: found by a marker naming
the working directory and updated on every push (GitHub REST API at
$GITHUB_API_URL). Standard library only. Exit status: 1 when infra failed.
"""
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

COMMENT_LIMIT = 65536  # GitHub's limit on a comment body, in characters
MARKER = "<!-- infra-action: {} -->"


def env(name, default=""):
    return os.environ.get(name, default) or default


def append(path_var, text):
    path = env(path_var)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def set_outputs(values):
    lines = []
    for k, v in values.items():
        v = str(v)
        if "\n" in v:
            lines.append(f"{k}<<INFRA_EOF\n{v}\nINFRA_EOF\n")
        else:
            lines.append(f"{k}={v}\n")
    append("GITHUB_OUTPUT", "".join(lines))


def plan_json(infra, plan_file):
    if not plan_file or not os.path.isfile(plan_file):
        return None
    r = subprocess.run([infra, "show", "-json", plan_file], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


def summary_line(command, ok, plan):
    if command == "validate":
        return "The stack is valid." if ok else "The stack is not valid."
    if plan is None:
        return f"infra {command} failed before a plan was made." if not ok else f"infra {command} succeeded."
    s = plan.get("summary", {})
    line = f"Plan: {s.get('add', 0)} to add, {s.get('change', 0)} to change, {s.get('destroy', 0)} to destroy."
    if not plan.get("has_changes"):
        line = "No changes."
    if command in ("apply", "destroy"):
        line = f"{command} {'succeeded' if ok else 'FAILED'}. {line}"
    return line


def markdown(command, ok, workdir, summary, plan_md):
    head = f"## infra {command} in `{workdir}`: {'succeeded' if ok else 'failed'}\n\n"
    if plan_md:
        return head + plan_md
    return head + summary + "\n"


def github(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode() or "null"
        return json.loads(text)


def sticky_comment(body, workdir):
    """Creates the PR comment, or updates the one carrying our marker."""
    event_path = env("GITHUB_EVENT_PATH")
    if not event_path or not os.path.isfile(event_path):
        return "no event payload"
    with open(event_path, encoding="utf-8") as f:
        event = json.load(f)
    pr = (event.get("pull_request") or {}).get("number")
    if not pr:
        return "not a pull request"
    api = env("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = env("GITHUB_REPOSITORY") or event.get("repository", {}).get("full_name", "")
    token = env("INPUT_GITHUB_TOKEN") or env("GITHUB_TOKEN")
    marker = MARKER.format(workdir)
    text = marker + "\n" + body
    if len(text) > COMMENT_LIMIT:  # plan.md is cut well below; a safety net
        text = text[: COMMENT_LIMIT - 200] + "\n\n_(cut: the full plan is in the run's artifacts)_\n"
    existing = None
    page = 1
    while existing is None:
        comments = github("GET", f"{api}/repos/{repo}/issues/{pr}/comments?per_page=100&page={page}", token)
        if not comments:
            break
        existing = next((c for c in comments if marker in (c.get("body") or "")), None)
        page += 1
    if existing:
        github("PATCH", f"{api}/repos/{repo}/issues/comments/{existing['id']}", token, {"body": text})
        return f"updated comment {existing['id']}"
    made = github("POST", f"{api}/repos/{repo}/issues/{pr}/comments", token, {"body": text})
    return f"created comment {made.get('id')}"


def main():
    command = env("INPUT_COMMAND", "plan")
    ok = env("INFRA_STEP_OUTCOME", "success") == "success"
    workdir = env("INPUT_WORKING_DIRECTORY", ".")
    os.chdir(workdir)  # as run.sh: relative paths are the working directory's
    action_dir = env("INFRA_ACTION_DIR") or os.path.join(env("RUNNER_TEMP") or env("TMPDIR", "/tmp"), "infra-action")
    infra = env("INFRA_BIN") or shutil.which("infra") or "infra"
    plan_file = os.path.abspath(env("INPUT_PLAN_FILE") or os.path.join(action_dir, "plan.infra"))
    plan = plan_json(infra, plan_file) if command != "validate" else None
    plan_md = ""
    md_path = os.path.join(action_dir, "plan.md")
    if os.path.isfile(md_path):
        with open(md_path, encoding="utf-8") as f:
            plan_md = f.read()
    if plan is not None:  # the full plan (redacted) for the run's artifact
        with open(os.path.join(action_dir, "plan.txt"), "w", encoding="utf-8") as f:
            subprocess.run([infra, "show", "-no-color", plan_file], stdout=f, stderr=subprocess.DEVNULL)
    has_changes = bool(plan and plan.get("has_changes"))
    summary = summary_line(command, ok, plan)
    exitcode = 1 if not ok else (2 if command == "plan" and has_changes else 0)
    set_outputs({"exitcode": exitcode, "has-changes": str(has_changes).lower(), "summary": summary})
    body = markdown(command, ok, workdir, summary, plan_md)
    append("GITHUB_STEP_SUMMARY", body + "\n")
    if env("INPUT_COMMENT_ON_PR", "false").lower() == "true":
        try:
            print(f"infra action: {sticky_comment(body, workdir)}")
        except (urllib.error.URLError, OSError, ValueError) as e:
            print(f"::warning::infra action: the PR comment was not written: {e}", file=sys.stderr)
    print(f"infra action: {summary}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
