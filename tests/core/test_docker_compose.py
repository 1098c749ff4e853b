"""docker-compose.yml cannot be started here (no Docker engine), so it is read.

The checks are what would break a real deployment: a missing service, an app
service without its configuration, and production values that fail Django's
own deployment checklist.
"""

import re
from pathlib import Path

import yaml

from tests.core.deploy import run_deploy_check

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "worker", "beat", "inbox"]
REQUIRED_VARIABLES = ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "ALLOWED_HOSTS", "SITE_URL"]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _interpolate(value: str, provided: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} forms."""

    def replace(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in provided:
            return provided[name]
        if operator == ":-":
            return rest
        raise AssertionError(f"{name} must be provided: {rest}")

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, value)


def test_the_stack_has_every_service_it_needs():
    services = _compose()["services"]

    assert {"postgres", "redis", "web", "worker", "beat", "mailpit", "migrate", "inbox"} <= set(services)
    assert services["inbox"]["command"][:3] == ["python", "manage.py", "inbox_server"]
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_every_app_service_is_configured_from_the_same_environment():
    services = _compose()["services"]

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        missing = [variable for variable in REQUIRED_VARIABLES if variable not in environment]
        assert not missing, f"{name} lacks {missing}"
        assert environment["DEBUG"] == "false"


def test_the_compose_defaults_pass_the_deployment_checklist(clean_env, manage_py, tmp_path):
    environment = _compose()["services"]["web"]["environment"]
    provided = {"SECRET_KEY": "k" * 20 + "-compose-test-secret-0123456789abcdefghijklmnop"}
    env = {name: _interpolate(str(value), provided) for name, value in environment.items()}
    # The hosts only exist inside the compose network; checks do not connect.
    env.update(clean_env, VAR_DIR=str(tmp_path))

    result = run_deploy_check(manage_py, env)

    assert result.returncode == 0, result.stdout + result.stderr
