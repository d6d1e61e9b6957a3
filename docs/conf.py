"""Sphinx configuration for the creditrules documentation.

Build the site and run every code example in it::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

# The project's own extensions (the table of policy parameters, built from the code).
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

# -- Project -----------------------------------------------------------------

project = "creditrules"
author = "The creditrules developers"
copyright = "the creditrules developers"
release = importlib.metadata.version("creditrules")
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "parameters_table",
    "sphinx_click",
    # sphinx.ext.intersphinx is left out on purpose: the docs must build offline,
    # and an inventory that cannot be fetched is a warning, which -W turns into
    # a failure.
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
language = "en"

# Broken cross-references to our own objects should fail the build, but the
# standard library cannot be resolved without intersphinx, so nitpicky stays off.
nitpicky = False

# -- MyST ----------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
# Let pages link to headings as ``[text](page.md#heading-slug)``.
myst_heading_anchors = 3

# -- autodoc / napoleon --------------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_format = "fully-qualified"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# -- doctest -------------------------------------------------------------------

# Examples in the pages are ```{doctest} blocks; each page still imports what
# it uses, so that a reader can copy an example as it stands.
doctest_global_setup = f"""
import pathlib
DOCS = pathlib.Path({str(Path(__file__).resolve().parent)!r})
EXAMPLES = pathlib.Path({str(Path(__file__).resolve().parent.parent / "examples")!r})
import datetime
import decimal
from datetime import date
from decimal import Decimal

import creditrules
"""

# -- HTML ------------------------------------------------------------------------

html_theme = "furo"
html_title = f"creditrules {release}"
napoleon_attr_annotations = False
autodoc_typehints_description_target = "documented"


# -- The command-line reference (sphinx-click) -------------------------------------

_STAR = re.compile(r"(?<![\\*])\*(?=\.)")


def _literal_globs(app: object, ctx: object, lines: list[str]) -> None:
    """Help texts are plain text: ``*.parquet`` is a file pattern, not emphasis."""
    lines[:] = [_STAR.sub(r"\\*", line) for line in lines]


def setup(app: object) -> None:
    for event in ("description", "options", "arguments", "epilog"):
        app.connect(f"sphinx-click-process-{event}", _literal_globs)  # type: ignore[attr-defined]
