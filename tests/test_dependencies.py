"""The dependencies: the production image installs only the runtime lock, hash-checked; the
development lock holds the same versions plus the tools; every base image is pinned by
version and digest."""

from __future__ import annotations

import re

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.processes import REPO

DEVELOPMENT_ONLY = {"pytest", "pytest-django", "playwright", "schemathesis", "hypothesis", "ruff", "mypy", "pip-tools"}
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:\d+\.\d+(\.\d+)?[-a-z0-9.]*@sha256:[0-9a-f]{64}$")


def locked(path: str) -> dict[str, str]:
    """Package name -> version of a pip-compile lock file, each entry checked to carry hashes."""
    text = (REPO / path).read_text()
    versions = {}
    for entry in re.split(r"\n(?=\S)", text):
        if not entry.strip() or entry.startswith("#"):
            continue
        requirement = Requirement(entry.split(" \\")[0].split(";")[0].strip())
        assert "--hash=sha256:" in entry, f"{requirement.name} in {path} has no hash"
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement.name} in {path} is not pinned"
        versions[canonicalize_name(requirement.name)] = specifier.version
    return versions


def test_runtime_lock_has_no_development_tool() -> None:
    runtime = locked("requirements.txt")
    assert {"django", "psycopg", "psycopg-binary", "gunicorn", "celery"} <= set(runtime)
    assert not DEVELOPMENT_ONLY & set(runtime)
    assert "psycopg2-binary" not in runtime, "PostgreSQL is reached through psycopg 3"


def test_development_lock_is_the_runtime_lock_plus_the_tools() -> None:
    runtime, development = locked("requirements.txt"), locked("requirements-dev.txt")
    assert {name: development.get(name) for name in runtime} == runtime
    assert set(development) >= DEVELOPMENT_ONLY


def test_image_installs_only_the_hash_checked_runtime_lock() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    installs = re.findall(r"^RUN pip install (.+)$", dockerfile, re.MULTILINE)
    assert installs == ["--require-hashes -r requirements.txt"]
    assert "requirements-dev.txt" not in dockerfile


def test_make_installs_the_development_lock_again_when_a_lock_changes() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^\$\(BIN\)/\.installed: requirements\.txt requirements-dev\.txt$", makefile, re.MULTILINE)
    assert "--require-hashes -r requirements-dev.txt" in makefile


def test_every_base_image_is_pinned_by_version_and_digest() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    images = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    images += [service["image"] for service in services.values() if "build" not in service and "image" in service]
    assert len(images) == 4
    for image in images:
        assert PINNED_IMAGE.match(image), f"{image} is not pinned by version and digest"
