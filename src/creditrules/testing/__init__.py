"""Tools for testing code that uses creditrules (install the ``testing`` extra).

* :mod:`creditrules.testing.strategies` — Hypothesis strategies that generate
  valid amounts, rates, dates, policies, bills, loan terms, payment histories,
  whole accounts and what-if scenarios. Importing Hypothesis registers them for
  :func:`hypothesis.strategies.from_type` through the ``hypothesis`` entry point.

Nothing here is imported by ``import creditrules``: Hypothesis and pytest are
only needed when you use these modules.
"""
