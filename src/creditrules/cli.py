"""The ``creditrules`` command line (extra ``cli``: click and rich).

Commands::

    creditrules assess FILE [--as-of YYYY-MM-DD] [--json] [--lang L] [--explain]
                       [--provider-file PATH ...]
    creditrules report FILE [--as-of YYYY-MM-DD] [--json] [--html OUT.html] [--lang L]
                       [--explain] [--provider-file PATH ...]
    creditrules explain FILE [--as-of YYYY-MM-DD] [--lang L] [--all] [--json]
                        [--provider-file PATH ...]
    creditrules providers [ID] [--json] [--lang L] [--provider-file PATH ...]
    creditrules plugins [--json] [--lang L]
    creditrules rules [--json] [--lang L]
    creditrules new-provider NAME [--dir DIR] [--lang L]
    creditrules plan FILE [--as-of YYYY-MM-DD] [--capacity AMOUNT] [--down-payment AMOUNT]
                     [--json] [--lang L] [--provider-file PATH ...]
    creditrules compare FILE --scenario TEXT ... [--scenarios-file PATH] [--as-of YYYY-MM-DD]
                        [--json] [--lang L] [--provider-file PATH ...]
    creditrules batch INPUT... --as-of YYYY-MM-DD --out FILE [--workers N]
                      [--scheduler ADDRESS] [--errors FILE] [--actions] [--lang L]
                      [--provider-file PATH ...]

Plugins add commands through the ``register_commands(cli)`` hook. Bad input —
a missing file, a TOML error, an invalid value, an unknown provider — is one
clear message on stderr and exit status 2, never a traceback (``batch`` exits
with 1 when some accounts failed). ``NO_COLOR`` turns colours off; piped, the
output has no trailing spaces. Every command takes ``--lang L`` (``en`` or
``zh_CN``); without it the language comes from ``CREDITRULES_LANG``, then from
the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``zh``),
else English. ``--explain`` adds to ``assess`` and ``report`` the explanation of
their figures; ``explain`` prints it alone. ``report --html OUT.html`` writes a
printable page. docs/reference/cli.md describes every command.

This module is the entry point only, importable without the ``cli`` extra so
that it can say how to install it. The commands are in
:mod:`creditrules._commands` (one function per command) and what they print is
laid out by :mod:`creditrules._render`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

__all__ = ["build_cli", "main"]

# The exit status when click or rich is missing: that of bad input (click's usage errors).
_EXIT_MISSING_EXTRA = 2
_EXTRA = ("click", "rich")
_INSTALL_HINT = "pip install 'creditrules[cli]'"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``creditrules`` command line (the console-script entry point).

    Exits with status 0 on success, 2 on bad input, a broken plugin or a policy
    error (one message on stderr), and 2 with an install hint if click or rich is
    missing.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
    """
    try:
        from . import _commands  # lazy: click and rich are the optional ``cli`` extra
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in _EXTRA:
            raise
        print(
            f"creditrules: the command line needs click and rich ({missing} is missing); "
            f"install them with: {_INSTALL_HINT}",
            file=sys.stderr,
        )
        sys.exit(_EXIT_MISSING_EXTRA)
    _commands.run(argv)


def build_cli() -> click.Group:
    """Build the ``creditrules`` command group and let plugins add their commands.

    Loads the plugins (:func:`creditrules.get_registry`) and calls every plugin's
    ``register_commands(cli)`` hook once; a plugin raising there is named in a warning
    (a :class:`~creditrules.PluginError` with ``--strict`` or ``CREDITRULES_STRICT=1``).

    Returns:
        The :class:`click.Group`; run it with ``.main()`` or click's ``CliRunner``.

    Raises:
        PluginError: if the plugins conflict, or one fails in strict mode.
    """
    from ._commands import build_cli  # lazy: click and rich are the optional ``cli`` extra

    return build_cli()
