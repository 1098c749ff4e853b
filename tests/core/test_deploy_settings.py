import subprocess

from tests.core.deploy import run_deploy_check

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!kq2-production-like-secret-9f3b1c5d8e0a4b6c2d7e9f1a3b5c7d9e",
    "ALLOWED_HOSTS": "secondround.example.com",
    "SITE_URL": "https://secondround.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "EMAIL_URL": "smtp://mail.example.com:587?tls=true",
}


def test_production_settings_pass_the_deployment_checklist(clean_env, manage_py, tmp_path):
    env = {**clean_env, **PRODUCTION, "VAR_DIR": str(tmp_path)}

    result = run_deploy_check(manage_py, env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(clean_env, manage_py, tmp_path):
    env = {**clean_env, **PRODUCTION, "VAR_DIR": str(tmp_path)}
    del env["SECRET_KEY"]

    result = subprocess.run([*manage_py, "check"], env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
