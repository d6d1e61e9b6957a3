"""A creditrules plugin that fails on import: it needs a module that is not installed."""

import creditrules_faulty_missing_dependency  # noqa: F401
