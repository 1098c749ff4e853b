"""Running Django's deployment checklist the way an operator would."""

import subprocess


def run_deploy_check(manage_py: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Django's deployment checklist, failing on warnings too, in a fresh process."""
    return subprocess.run(
        [*manage_py, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
