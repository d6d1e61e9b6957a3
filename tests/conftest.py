"""Shared test configuration: Hypothesis profiles.

Two profiles are registered:

* ``ci`` — 300 examples per property, no deadline (CI machines are slow and noisy),
  and failing examples printed as a blob to reproduce with ``@reproduce_failure``;
* ``dev`` — 50 examples, for a fast local loop.

``HYPOTHESIS_PROFILE`` picks one explicitly; otherwise ``ci`` when the ``CI``
environment variable is set (as CI services do), else ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)


def _profile() -> str:
    explicit = os.environ.get("HYPOTHESIS_PROFILE")
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


settings.load_profile(_profile())
