"""The `lape` command as an operator runs it: a real process, a real SQLite file, a real gunicorn."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LAPE = [sys.executable, "-m", "lape.cli"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LAPE_ALLOW_INSECURE_KEY="1",
        LAPE_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        LAPE_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_it_prints_usage_and_refuses_unknown_commands(tmp_path: Path) -> None:
    ok = subprocess.run([*LAPE, "--help"], capture_output=True, text=True, env=_env(tmp_path), check=False)
    assert ok.returncode == 0
    assert "import-hsds" in ok.stdout
    bad = subprocess.run(
        [*LAPE, "frobnicate"], capture_output=True, text=True, env=_env(tmp_path), check=False
    )
    assert bad.returncode == 2
    assert "unknown command 'frobnicate'" in bad.stderr


def test_it_refuses_a_database_url_it_cannot_read(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"LAPE_DATABASE_URL": "nosuchdb://somewhere"}
    result = subprocess.run([*LAPE, "migrate"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode != 0
    assert "LAPE_DATABASE_URL" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_in_production(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("LAPE_ALLOW_INSECURE_KEY")
    env.pop("LAPE_SECRET_KEY", None)
    env["LAPE_DEBUG"] = "0"
    result = subprocess.run([*LAPE, "migrate"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode != 0
    assert "LAPE_SECRET_KEY" in result.stderr


def test_it_migrates_and_serves_with_gunicorn(tmp_path: Path) -> None:
    env = _env(tmp_path)
    migrate = subprocess.run(
        [*LAPE, "migrate", "--no-input"], capture_output=True, text=True, env=env, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*LAPE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/hsds/", timeout=2) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert body is not None, "gunicorn did not answer within 30 s"
        assert body["version"].startswith("3.1")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
            assert response.headers["Server"].startswith("gunicorn")
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("command", ["import-hsds", "export-hsds"])
def test_it_says_what_is_missing_when_a_path_is_not_given(tmp_path: Path, command: str) -> None:
    result = subprocess.run([*LAPE, command], capture_output=True, text=True, env=_env(tmp_path), check=False)
    assert result.returncode != 0
    assert "path" in result.stderr.lower()
