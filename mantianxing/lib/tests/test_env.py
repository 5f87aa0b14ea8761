from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from mantianxing.lib.env import MissingSecret, env_bool, env_list, load_secret


def test_it_generates_a_debug_secret_once_and_reuses_it(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    with mock.patch.dict(os.environ, {}, clear=True):
        first = load_secret("MTX_SECRET_KEY", debug=True, store=store)
        again = load_secret("MTX_SECRET_KEY", debug=True, store=store)
        other = load_secret("MTX_PII_KEY", debug=True, store=store)
    assert first == again
    assert first != other
    assert json.loads(store.read_text()) == {"MTX_SECRET_KEY": first, "MTX_PII_KEY": other}
    assert store.stat().st_mode & 0o777 == 0o600


def test_it_prefers_the_environment(tmp_path: Path) -> None:
    with mock.patch.dict(os.environ, {"MTX_SECRET_KEY": "given"}):
        assert load_secret("MTX_SECRET_KEY", debug=False, store=tmp_path / "s.json") == "given"
    assert not (tmp_path / "s.json").exists()


def test_it_refuses_a_missing_secret_without_debug(tmp_path: Path) -> None:
    with mock.patch.dict(os.environ, {}, clear=True), pytest.raises(MissingSecret, match="MTX_PII_KEY"):
        load_secret("MTX_PII_KEY", debug=False, store=tmp_path / "s.json")


def test_it_reads_booleans_and_lists() -> None:
    with mock.patch.dict(os.environ, {"A": "yes", "B": "0", "C": "a, b,,c", "D": "maybe"}):
        assert env_bool("A") is True
        assert env_bool("B") is False
        assert env_bool("MISSING", default=True) is True
        assert env_list("C", []) == ["a", "b", "c"]
        with pytest.raises(ValueError, match="D"):
            env_bool("D")


def test_it_stops_start_up_with_a_clear_message_when_production_secrets_are_missing(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MTX_")}
    env |= {"MTX_DEBUG": "0", "MTX_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mantianxing", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "MTX_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr
