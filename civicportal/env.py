"""Typed readers for environment variables that fail loudly on bad values.

Settings read every deployment choice through these, so a typo in a deployment's
environment stops the process at start-up instead of running with a silent default.
"""

from __future__ import annotations

import os
from ipaddress import ip_network
from urllib.parse import urlsplit, urlunsplit


class ImproperEnvironment(ValueError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperEnvironment(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperEnvironment(f"{name}={raw!r} is not a whole number") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses and CIDR networks ("10.0.0.0/8, 192.0.2.7")."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ip_network(entry, strict=False)
        except ValueError:
            raise ImproperEnvironment(f"{name}: {entry!r} is not an IP address or network") from None
    return entries


def redis_database_url(url: str, database: int) -> str:
    """The same Redis server as `url`, another numbered database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))
