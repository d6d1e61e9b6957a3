"""Tests for the packaging: licence files, metadata and what the wheels hold."""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: The repository's distributions: creditrules and each bundled plugin.
PROJECTS = [ROOT, *sorted(ROOT.glob("plugins/creditrules-*"))]
PYTHONS = ("3.10", "3.11", "3.12", "3.13")


def _ids() -> list[str]:
    return [project.name if project != ROOT else "creditrules" for project in PROJECTS]


@pytest.mark.parametrize("project", PROJECTS, ids=_ids())
def test_every_distribution_has_the_mit_licence(project: Path) -> None:
    """Each distribution's folder has a LICENSE with the MIT text its metadata declares."""
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert metadata["project"]["license"] == "MIT"
    text = (project / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


@pytest.mark.parametrize("project", PROJECTS, ids=_ids())
def test_every_distribution_lists_its_pythons_and_urls(project: Path) -> None:
    """Each pyproject.toml lists Python 3.10–3.13 and where the documentation is."""
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    classifiers = set(metadata["classifiers"])
    for version in PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert metadata["requires-python"] == ">=3.10"
    assert metadata["urls"]["Documentation"].startswith("https://")
    assert "Changelog" in metadata["urls"]


@pytest.mark.parametrize("project", PROJECTS, ids=_ids())
def test_every_wheel_and_sdist_holds_the_licence(project: Path, tmp_path: Path) -> None:
    """The wheel built from each distribution has LICENSE in its .dist-info; so has the sdist."""
    pytest.importorskip("hatchling")
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(project)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names
    (sdist,) = SdistBuilder(str(project)).build(directory=str(tmp_path), versions=["standard"])
    with tarfile.open(sdist) as archive:
        assert any(name.endswith("/LICENSE") for name in archive.getnames())
