"""The gettext catalogues: loading them, choosing a locale, formatting in its words.

Every sentence creditrules writes for people is an English ``msgid`` in
``locale/<locale>/LC_MESSAGES/creditrules.po`` (domain ``creditrules``), compiled
to a ``.mo`` file beside it with ``pybabel compile -D creditrules -d
src/creditrules/locale``. This module is the only one that reads them.

>>> available_locales()
('en', 'zh_CN')
>>> Messages("zh-CN").date(__import__("datetime").date(2025, 3, 10))
'2025年3月10日'
"""

from __future__ import annotations

import functools
import gettext
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "Messages",
    "available_locales",
    "normalise_locale",
    "translation",
]

#: The gettext domain of creditrules' messages.
DOMAIN = "creditrules"
#: Where the compiled catalogues are: ``LOCALE_DIR/<locale>/LC_MESSAGES/creditrules.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues; it is translated where it is used."""
    return message


def available_locales() -> tuple[str, ...]:
    """Return the locales with a compiled catalogue, sorted (``('en', 'zh_CN')``).

    >>> available_locales()
    ('en', 'zh_CN')
    """
    if not LOCALE_DIR.is_dir():  # pragma: no cover - a broken installation
        return ()
    return tuple(
        sorted(
            path.name
            for path in LOCALE_DIR.iterdir()
            if (path / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
        )
    )


def normalise_locale(locale: str) -> str:
    """Return the catalogue name of ``locale`` (``"zh-CN"`` and ``"zh_cn"`` give ``"zh_CN"``).

    Raises:
        ValueError: if there is no catalogue for ``locale``; the message lists those available.
    """
    wanted = str(locale).replace("-", "_").lower()
    for name in available_locales():
        if name.lower() == wanted:
            return name
    raise ValueError(
        f"no creditrules catalog for locale {locale!r}; available: "
        f"{', '.join(available_locales()) or 'none'}"
    )


@functools.cache
def _catalogue(locale: str) -> gettext.GNUTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[locale], fallback=False)


def translation(locale: str) -> gettext.GNUTranslations:
    """Return the gettext catalogue of ``locale`` (``"en"``, ``"zh_CN"``; ``"zh-CN"`` works too).

    Args:
        locale: The locale.

    Returns:
        The loaded :class:`gettext.GNUTranslations` (cached).

    Raises:
        ValueError: if there is no catalogue for ``locale``; the message lists those available.
    """
    return _catalogue(normalise_locale(locale))


class Messages:
    """Translate and format the messages of one locale (``_`` and ``ngettext``, as Babel extracts).

    A text that is not in the catalogue (a plugin's own words) is returned as it is.

    Args:
        locale: ``"en"`` or ``"zh_CN"`` (``"zh-CN"`` works too).

    Raises:
        ValueError: if there is no catalogue for ``locale``.
    """

    def __init__(self, locale: str) -> None:
        self.locale = normalise_locale(locale)
        self.catalog = _catalogue(self.locale)
        self.chinese = self.locale.startswith("zh")

    def _(self, message: str, /, **values: Any) -> str:
        """Translate ``message`` and fill its ``{placeholders}`` with ``values``."""
        text = self.catalog.gettext(message) if message else message
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """Translate the form of ``singular``/``plural`` for ``n`` and fill it (``{n}`` too)."""
        return self.catalog.ngettext(singular, plural, n).format(n=n, **values)

    def then(self, text: str, more: str) -> str:
        """Join two sentences (with a space in English, without in Chinese)."""
        return text + ("" if self.chinese else " ") + more

    def date(self, day: date) -> str:
        """A date in the locale's words (``2025-03-10``, ``2025年3月10日``)."""
        return self._("{year}-{month:02d}-{day:02d}", year=day.year, month=day.month, day=day.day)

    def month(self, key: str) -> str:
        """A month given as ``YYYY-MM`` in the locale's words."""
        year, month = (int(part) for part in key.split("-"))
        return self._("{year}-{month:02d}", year=year, month=month)

    def days(self, n: int) -> str:
        """``n`` days, with the locale's plural."""
        return self.ngettext("{n} day", "{n} days", n)

    def months(self, first: str, last: str) -> str:
        """A span of months (one month when ``first == last``)."""
        if first == last:
            return self.month(first)
        return self._("{first} to {last}", first=self.month(first), last=self.month(last))
