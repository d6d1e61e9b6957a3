"""Tools for testing code that uses creditrules (install the ``testing`` extra).

* :mod:`creditrules.testing.strategies` — Hypothesis strategies that generate
  valid amounts, rates, dates, policies, bills, loan terms, payment histories,
  whole accounts and what-if scenarios. Importing Hypothesis registers them for
  :func:`hypothesis.strategies.from_type` through the ``hypothesis`` entry point.
* :mod:`creditrules.testing.conformance` — the conformance suite a provider
  plugin runs in its own tests, and the golden-case format.

Nothing here is imported by ``import creditrules``: Hypothesis and pytest are
only needed when you use these modules.
"""

# Hypothesis runs its entry points when it is first imported, and creditrules' hook
# lives in ``strategies``. Import Hypothesis here, before any module of this package,
# so that the hook never finds ``strategies`` half-imported (which would make
# ``from creditrules.testing import strategies`` fail when it comes first).
import contextlib

with contextlib.suppress(ImportError):  # the ``testing`` extra may not be installed
    import hypothesis  # noqa: F401
