// The guide's run_test.py for one suite: the same steps (workspace check, commit, environment,
// install, run, clear exit code), with the suite's values as constants at the top instead of
// placeholders to edit by hand, and secret-looking variables masked.
import type { ResolvedSuite } from "../../config/resolve.js";
import { runnerAdapter } from "../../runners/index.js";

/** A Python literal for a string, list of strings or None. JSON strings are valid Python strings. */
function py(value: string | readonly string[] | undefined): string {
  if (value === undefined) return "None";
  if (typeof value === "string") return JSON.stringify(value);
  return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
}

export function runTestPy(suite: ResolvedSuite): string {
  const test = suite.runner.kind === "pytest" ? suite.runner.test : undefined;
  // Another runner's target: its own command (the baked runner writes no incluster report).
  const r = suite.runner;
  const command = r.kind === "command" ? r.argv : r.kind !== "pytest" ? runnerAdapter(r.kind).plain(r.test) : undefined;
  const workspaceHint =
    suite.source.kind !== "image" ? "Make sure the clone-repo init container cloned the repository" : "The image should contain the code at /workspace";
  return `#!/usr/bin/env python3
"""
End-to-end test runner for the ${suite.name} suite (written by: incluster scaffold ${suite.name}).

Runs the suite inside the cluster, where it reaches services through cluster DNS.
Exit code: the test's own; 1 if the workspace is missing or the install fails.
"""

import os
import subprocess
import sys
from pathlib import Path

SUITE = ${py(suite.name)}
# pytest target; None when COMMAND is set
TEST = ${py(test)}
# program and arguments for other runners; None for pytest
COMMAND = ${py(command)}
# shell command run in /workspace before the tests; None to skip
INSTALL = ${py(suite.install)}
# variables printed at start; values of secret-looking names are hidden
ENV_NAMES = ${py(Object.keys(suite.env))}
SECRET_WORDS = ("TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "CREDENTIAL")

COLOR = "NO_COLOR" not in os.environ
GREEN = "\\033[92m" if COLOR else ""
RED = "\\033[91m" if COLOR else ""
YELLOW = "\\033[93m" if COLOR else ""
BLUE = "\\033[94m" if COLOR else ""
RESET = "\\033[0m" if COLOR else ""
RULE = "=" * 70


def print_commit(workspace: Path) -> None:
    """Print the checked-out commit, so every log says what was tested."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=workspace,
        )
        print(f"{GREEN}✓ Repository at commit: {result.stdout.strip()}{RESET}")
    except (OSError, subprocess.CalledProcessError):
        print(f"{YELLOW}⚠️  Not a git repository (might be OK if copied differently){RESET}")


def print_environment() -> None:
    print(f"{BLUE}Environment configuration:{RESET}")
    for name in ENV_NAMES:
        secret = any(word in name.upper() for word in SECRET_WORDS)
        value = "(hidden)" if secret else os.environ.get(name, "(unset)")
        print(f"  {name}: {value}")
    print()


def main() -> int:
    print(f"{BLUE}{RULE}{RESET}")
    print(f"{BLUE}🚀 {SUITE} E2E test{RESET}")
    print(f"{BLUE}{RULE}{RESET}")
    print()

    # WORKSPACE lets the runner be tried outside the cluster: WORKSPACE=. python run_test.py
    workspace = Path(os.environ.get("WORKSPACE", "/workspace"))
    if not workspace.is_dir() or not any(workspace.iterdir()):
        print(f"{RED}❌ Workspace {workspace} is missing or empty{RESET}")
        print(${py(`   ${workspaceHint}`)})
        return 1
    print(f"{GREEN}✓ Workspace found at {workspace}{RESET}")
    os.chdir(workspace)
    print_commit(workspace)
    print()
    print_environment()

    if INSTALL:
        print(f"{BLUE}📦 Installing project dependencies: {INSTALL}{RESET}")
        installed = subprocess.run(INSTALL, shell=True, cwd=workspace)
        if installed.returncode != 0:
            print(f"{RED}❌ Failed to install dependencies (exit code {installed.returncode}){RESET}")
            return 1
        print(f"{GREEN}✓ Dependencies installed{RESET}")
        print()

    argv = COMMAND or [sys.executable, "-m", "pytest", TEST, "-v", "-s", "--tb=short"]
    print(f"{BLUE}🧪 Running: {' '.join(argv)}{RESET}")
    print(f"{BLUE}{RULE}{RESET}")
    print()
    try:
        exit_code = subprocess.run(argv, cwd=workspace).returncode
    except OSError as e:
        print(f"{RED}❌ Could not start {argv[0]}: {e}{RESET}")
        return 1
    # A test killed by a signal reports -N; shells and Kubernetes expect 128+N.
    if exit_code < 0:
        exit_code = 128 - exit_code

    print()
    print(f"{BLUE}{RULE}{RESET}")
    if exit_code == 0:
        print(f"{GREEN}✅ Test PASSED{RESET}")
    else:
        print(f"{RED}❌ Test FAILED with exit code {exit_code}{RESET}")
    print(f"{BLUE}{RULE}{RESET}")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
`;
}
