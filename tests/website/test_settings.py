import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_production(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(DJANGO_SETTINGS_MODULE="website.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "platform.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_naming_the_missing_variable(env, missing):
    result = start_production(**env)
    assert result.returncode != 0
    assert "Не заданы обязательные переменные окружения" in result.stderr
    assert missing in result.stderr


def test_production_starts_when_configured():
    result = start_production(SECRET_KEY="x" * 60, ALLOWED_HOSTS="platform.example.org")
    assert result.returncode == 0, result.stderr


def test_time_zone_is_moscow(settings):
    assert settings.TIME_ZONE == "Europe/Moscow"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "ru"
