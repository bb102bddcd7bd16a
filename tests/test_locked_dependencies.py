"""The locks in requirements/ agree with pyproject.toml, and the tests run on what they pin.

A fresh install takes exactly the locks (README, .ci/run, Dockerfile). If someone widens or
adds a dependency in pyproject.toml and forgets `requirements/refresh`, or a lock pins a
version outside its range, these fail; so does a test environment that was not installed
from the lock (a green run on other versions proves nothing about a user's install).
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
LOCKS = {"run.txt": ("sentry",), "test.txt": ("sentry", "test", "dev", "train")}


def pins(lock: str) -> list[Requirement]:
    """Each `name==version ; marker` of a lock, as a requirement."""
    found = []
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            found.append(Requirement(f"{name}=={version}" + (f" ; {marker}" if marker else "")))
    return found


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    """What pyproject.toml asks for with these extras, and what builds the package."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    build = (ROOT / "requirements/build.in").read_text().splitlines()
    return wanted + [Requirement(line) for line in build if line and not line.startswith("#")]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_locked_inside_its_range(lock: str) -> None:
    locked: dict[str, list[str]] = {}
    for pin in pins(lock):
        locked.setdefault(canonicalize_name(pin.name), []).append(str(pin.specifier)[2:])
    for wanted in declared(LOCKS[lock]):
        versions = locked.get(canonicalize_name(wanted.name))
        assert versions, f"{wanted.name} is in pyproject.toml but not in {lock}: run " \
                         f"requirements/refresh"
        for version in versions:
            assert wanted.specifier.contains(version, prereleases=True), \
                f"{lock} pins {wanted.name}=={version}, outside {wanted.specifier}"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_carries_its_hashes(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    pinned = [block for block in blocks if PIN.match(block.splitlines()[0])]
    assert len(pinned) == len(pins(lock)) > 10
    for block in pinned:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_every_declared_range_stops_before_an_untried_major_version() -> None:
    # tzdata is the zone table, numbered by year: any newer one is the one to have.
    for wanted in declared(("sentry", "test", "dev", "train")):
        if wanted.name == "tzdata":
            continue
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in wanted.specifier), \
            f"{wanted} has no upper bound"


def test_the_tests_run_on_the_locked_versions() -> None:
    wrong = []
    for pin in pins("test.txt"):
        if pin.marker is not None and not pin.marker.evaluate():
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            installed = "nothing"
        if not pin.specifier.contains(installed, prereleases=True):
            wrong.append(f"{pin.name}: {installed} installed, {pin.specifier} locked")
    assert not wrong, "install from requirements/test.txt (README): " + "; ".join(wrong)
