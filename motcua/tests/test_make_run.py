"""`make run` serves on PORT, and the links it prints into QR codes and messages point there."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_env(port: str, **env) -> list[str]:
    """What every command of `make run` would see as MOTCUA_PUBLIC_BASE_URL: the recipe runs
    with `printenv` in place of Python (and without installing anything)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k != "MOTCUA_PUBLIC_BASE_URL"}
    environment.update(env)
    done = subprocess.run(
        ["make", "-s", "-o", "install", "run", f"PORT={port}",
         "PY=printenv MOTCUA_PUBLIC_BASE_URL #"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return [line for line in done.stdout.splitlines() if line.startswith("http")]


def test_make_run_points_links_at_its_port():
    seen = run_env("8123")
    assert len(seen) >= 3 and set(seen) == {"http://127.0.0.1:8123"}


def test_a_public_address_given_to_make_run_wins():
    seen = run_env("8123", MOTCUA_PUBLIC_BASE_URL="https://motcua.example.vn")
    assert set(seen) == {"https://motcua.example.vn"}
