"""Typed readers for the MTX_* environment variables that configure the project."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r} is below its minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


class MissingSecret(RuntimeError):
    """A secret the production configuration must be given is absent."""


def load_secret(name: str, *, debug: bool, store: Path) -> str:
    """Return the secret from the environment; in debug mode generate it once into `store` and reuse it.

    Outside debug mode a missing secret is an error: a generated key would silently change
    between machines and invalidate sessions or, for the PII key, every stored person hash.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if not debug:
        raise MissingSecret(
            f"环境变量 {name} 未设置：生产模式（MTX_DEBUG 关闭）必须显式提供密钥。"
            f" / {name} is not set: with MTX_DEBUG off every secret must be given in the environment."
        )
    known: dict[str, str] = json.loads(store.read_text()) if store.exists() else {}
    if name not in known:
        known[name] = secrets.token_urlsafe(48)
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(known, indent=2))
        store.chmod(0o600)
    return known[name]
