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
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import attrs

__all__ = [
    "DOMAIN",
    "LANG_VARIABLE",
    "LOCALE_DIR",
    "N_",
    "Localizable",
    "Messages",
    "Translatable",
    "available_locales",
    "chinese_number",
    "locale_from_environment",
    "message_of",
    "normalise_locale",
    "translation",
]

#: The gettext domain of creditrules' messages.
DOMAIN = "creditrules"
#: Where the compiled catalogues are: ``LOCALE_DIR/<locale>/LC_MESSAGES/creditrules.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


#: The environment variable that sets the language of the command line.
LANG_VARIABLE = "CREDITRULES_LANG"
#: The system locale variables, in the order POSIX reads them for messages.
_SYSTEM_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues; it is translated where it is used."""
    return message


@functools.cache  # the installed catalogues do not change while the process runs
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


def locale_from_environment(environ: Mapping[str, str]) -> str:
    """Return the locale the environment asks for: ``CREDITRULES_LANG``, else the system's.

    ``CREDITRULES_LANG`` names a catalogue (``en``, ``zh_CN``, ``zh-CN``). Without it,
    the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides: a locale
    starting with ``zh`` (``zh_CN.UTF-8``) gives ``zh_CN``; anything else, or nothing, ``en``.

    Args:
        environ: The environment (``os.environ``).

    Returns:
        A catalogue name: ``"en"`` or ``"zh_CN"``.

    Raises:
        ValueError: if ``CREDITRULES_LANG`` names no catalogue; the message names the
            variable and lists the locales available.

    >>> locale_from_environment({"LANG": "zh_CN.UTF-8"})
    'zh_CN'
    >>> locale_from_environment({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"})
    'en'
    """
    wanted = environ.get(LANG_VARIABLE, "").strip()
    if wanted:
        try:
            return normalise_locale(wanted)
        except ValueError:
            raise ValueError(
                Translatable(
                    N_(
                        "the environment variable {variable}={value} names no creditrules "
                        "language; available: {available}"
                    ),
                    variable=LANG_VARIABLE,
                    value=repr(wanted),
                    available=Translatable.join(available_locales(), "list"),
                )
            ) from None
    for name in _SYSTEM_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write ``0 <= n < 10000`` in Chinese numerals, as article numbers are (十六, 一百零二).

    >>> chinese_number(16), chinese_number(25), chinese_number(10), chinese_number(102)
    ('十六', '二十五', '十', '一百零二')
    """
    if not 0 <= n < 10000:
        raise ValueError(f"{n} is out of range")
    if n < 10:
        return _DIGITS[n]
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(("" if digit == 1 and unit == "十" and n < 20 else _DIGITS[digit]) + unit)
        elif parts:
            zero = True
    return "".join(parts)


#: ``Art. 16``, ``Arts. 15–16``, ``Article 25`` in an English citation.
_ARTICLE = re.compile(r"\s*\bArt(?:icle)?s?\.?\s+(\d+)(?:\s*[–-]\s*(\d+))?")
#: A remark in half-width parentheses.
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")
#: A confidence grade inside a citation (``grade B``).
_GRADE = re.compile(r"\bgrade ([A-D])\b")
#: creditrules' own conventions, as :func:`creditrules.policy.convention` cites them.
_CONVENTIONS = re.compile(r"\bcreditrules conventions\b")


@functools.cache
def _title() -> re.Pattern[str]:
    """A Chinese title of a law or regulation not yet in 《》.

    Compiled on first use (a few milliseconds): only Chinese citations need it.
    """
    return re.compile(
        r"(?<!《)([\u4e00-\u9fff]{2,}(?:条例|办法|规定|法|通知|意见|解释|准则)|[\u4e00-\u9fff]+法典)(?!》)"
    )


def _article(match: re.Match[str]) -> str:
    first, last = match.group(1), match.group(2)
    if last:
        return f"第{chinese_number(int(first))}条至第{chinese_number(int(last))}条"
    return f"第{chinese_number(int(first))}条"


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


class Translates(Protocol):
    """What gives its own translations of its texts (a :class:`creditrules.Provider`)."""

    def translate(self, text: str, locale: str) -> str:
        """``text`` in ``locale``'s words, or ``text`` itself."""


@functools.lru_cache(maxsize=1024)  # a few sources, cited over and over
def split_sources(text: str) -> tuple[str, ...]:
    """The sources of a citation listing several (``a; b (c; d)`` gives ``a``, ``b (c; d)``).

    >>> split_sources("x (court case, 2025; grade B); y")
    ('x (court case, 2025; grade B)', 'y')
    """
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith("; ", index):
            parts.append(text[start:index])
            start = index + 2
    return (*parts, text[start:])


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
        """Translate the form of ``singular``/``plural`` for ``n`` and fill it (``{n}`` too).

        A value ``n`` given among ``values`` (``n="1,000"``) is shown instead of ``n``.
        """
        return self.catalog.ngettext(singular, plural, n).format(**{"n": n, **values})

    def then(self, text: str, more: str) -> str:
        """Join two sentences (with a space in English, without in Chinese)."""
        return text + ("" if self.chinese else " ") + more

    def comma(self) -> str:
        """What separates the items of a list: ``", "`` in English, ``"、"`` in Chinese."""
        return "、" if self.chinese else ", "

    def source(self, text: str) -> str:
        """A source or citation in the locale's legal style.

        The catalogue's wording if it has one; otherwise, in Chinese, titles of laws
        in 《》, ``Art. 16`` as 第十六条, remarks in full-width parentheses and sources
        separated by ``；`` (``征信业管理条例 (国务院令第631号) Art. 16`` gives
        ``《征信业管理条例》（国务院令第631号）第十六条``). URLs are kept as they are.

        >>> Messages("zh_CN").source("征信业管理条例 (国务院令第631号) Art. 16")
        '《征信业管理条例》（国务院令第631号）第十六条'
        >>> Messages("zh_CN").source("creditrules conventions A.3 (docs/c.md#grace)")
        'creditrules 计算约定 A.3（docs/c.md#grace）'
        >>> Messages("en").source("征信业管理条例 Art. 16")
        '征信业管理条例 Art. 16'
        """
        translated = self._(text)
        if translated != text or not self.chinese:
            return translated
        text = _CONVENTIONS.sub("creditrules 计算约定", text)
        text = _GRADE.sub(r"可信度 \1", text).replace("court case, ", "法院判例，")
        text = text.replace("court case", "法院判例")
        text = _ARTICLE.sub(_article, text)
        text = _PARENTHESES.sub(lambda m: f"（{m.group(1)}）", text)
        text = text.replace("; ", "；")
        return _title().sub(r"《\1》", text)

    def citation(self, source: str, provider: Translates | None = None) -> str:
        """A source or citation in the locale's words.

        The provider's own translation (:meth:`creditrules.Provider.translate`) if it
        gives one; else the catalogue's wording of the whole; else each of its sources
        (see :func:`split_sources`) in the catalogue's wording or the locale's legal
        style (:meth:`source`), joined the locale's way.

        >>> Messages("zh_CN").citation("Acme terms §7; 征信业管理条例 Art. 16")
        'Acme terms §7；《征信业管理条例》第十六条'
        """
        if not source:
            return source
        if provider is not None:
            own = provider.translate(source, self.locale)
            if own != source:
                return own
        whole = self._(source)
        if whole != source:
            return whole
        separator = "；" if self.chinese else "; "
        return separator.join(self.source(part) for part in split_sources(source))

    def localized(self, text: str) -> str:
        """A text in the locale's words: a :class:`Localizable` written in it, else the catalogue's.

        A plain string the catalogue does not have (a plugin's words, a value) is
        returned as it is.

        >>> Messages("zh_CN").localized(Translatable(N_("no such file")))
        '文件不存在'
        """
        if isinstance(text, Localizable):
            return text.text(self)
        return self._(text)

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


# ----------------------------------------------------------------- messages kept with their values


@runtime_checkable
class Localizable(Protocol):
    """A text that can be written in any locale: :class:`Translatable`, a planner's phrase."""

    def text(self, tr: Messages) -> str:
        """The text in the words of ``tr``'s locale."""


#: How :meth:`Translatable.join` joins its parts, in English and in Chinese: as sentences,
#: as a list, as clauses, as words (a name before what is said of it) or as lines.
Joiner = Literal["sentences", "list", "clauses", "words", "lines"]
_JOINERS: Mapping[str, tuple[str, str]] = {
    "sentences": (" ", ""),
    "list": (", ", "、"),
    "clauses": ("; ", "；"),
    "words": (" ", " "),
    "lines": ("\n", "\n"),
}


@functools.cache
def _english() -> Messages:
    return Messages("en")


def _filled(value: Any, tr: Messages) -> Any:
    """A value to fill a placeholder with: a :class:`Localizable` in the locale, else as it is."""
    return value.text(tr) if isinstance(value, Localizable) else value


class Translatable(str):
    """A message of the catalogue kept with its values, so that it can be written in any locale.

    It *is* its English text: it compares, hashes, prints and pickles as that string,
    so an exception or a problem holding it reads as before (``str(error)`` is English).
    :meth:`text` writes it in a locale: the catalogue's translation of :attr:`message`
    (or the message's own :attr:`translations`, for words the catalogue does not have),
    its values filled in as they are (names, ids, numbers and dates stay as given)
    except :class:`Localizable` ones, which are written in the same locale.

    The messages of errors are made of them (from the bottom layer of the package:
    :mod:`creditrules.errors` and the validators), so that the command line shows an
    error in the language it runs in while the library keeps its English messages.

    >>> message = Translatable(N_("{value} is not an amount of money"), value="'abc'")
    >>> message
    "'abc' is not an amount of money"
    >>> message.text(Messages("zh_CN"))
    "'abc' 不是金额"
    >>> joined = Translatable.join(["grace_days", Translatable(N_("must not be empty"))], "words")
    >>> joined, joined.text(Messages("zh_CN"))
    ('grace_days must not be empty', 'grace_days 不能为空')

    Args:
        message: The English message (a catalogue ``msgid`` with ``{placeholders}``).
        translations: The message by locale (``{"zh_CN": "…"}``), for words the catalogue
            does not have (a provider's); it wins over the catalogue.
        **values: The values of the placeholders.

    Raises:
        KeyError: if the message (or one of its ``translations``) has a placeholder
            without a value.

    Attributes:
        message: The English message (empty for a text made by :meth:`join`).
        values: The values, as ``(placeholder, value)`` pairs.
        translations: The message's own translations, as ``(locale, text)`` pairs.
        joiner: How :meth:`join` joined :attr:`parts`, or ``None``.
        parts: The texts :meth:`join` joined.
    """

    __slots__ = ("joiner", "message", "parts", "translations", "values")

    message: str
    values: tuple[tuple[str, Any], ...]
    translations: tuple[tuple[str, str], ...]
    joiner: Joiner | None
    parts: tuple[str, ...]

    def __new__(
        cls,
        message: str,
        /,
        *,
        translations: Mapping[str, str] | None = None,
        **values: Any,
    ) -> Translatable:
        pairs = tuple(sorted((_catalogue_name(k), v) for k, v in (translations or {}).items()))
        return cls._build(message, tuple(values.items()), pairs, None, ())

    @classmethod
    def _build(
        cls,
        message: str,
        values: tuple[tuple[str, Any], ...],
        translations: tuple[tuple[str, str], ...],
        joiner: Joiner | None,
        parts: tuple[str, ...],
    ) -> Translatable:
        self = super().__new__(
            cls, _render(message, values, translations, joiner, parts, _english())
        )
        for locale, _text in translations if values else ():
            if locale in available_locales():  # a placeholder without a value is a KeyError now
                _render(message, values, translations, None, (), Messages(locale))
        for name, value in (
            ("message", message),
            ("values", values),
            ("translations", translations),
            ("joiner", joiner),
            ("parts", parts),
        ):
            object.__setattr__(self, name, value)
        return self

    @classmethod
    def join(cls, parts: Iterable[str], how: Joiner = "clauses") -> Translatable:
        """Join texts: :class:`Localizable` ones written in the locale, plain ones as they are.

        >>> ids = Translatable.join(["date", "amount"], "list")
        >>> ids, ids.text(Messages("zh_CN"))
        ('date, amount', 'date、amount')
        """
        if how not in _JOINERS:
            raise ValueError(f"unknown joiner {how!r}; known: {', '.join(_JOINERS)}")
        return cls._build("", (), (), how, tuple(parts))

    @classmethod
    def known(cls, text: str, templates: Iterable[str] = (), lists: Iterable[str] = ()) -> str:
        """A plain English text as a message: the first of ``templates`` it was written from.

        For a message that lost its values on the way (formatted by code that calls
        ``str()`` on it): it is matched against the English ``templates`` (catalogue
        messages with ``{placeholders}``), the values read back as plain text. A text no
        template matches is a message of its own, translated if the catalogue has it.
        A :class:`Localizable` text is returned as it is. The values of the placeholders
        named in ``lists`` are lists (``a, b``), joined again as the locale joins a list.

        >>> Translatable.known("'abc' is not an amount of money",
        ...                    [N_("{value} is not an amount of money")]).values
        (('value', "'abc'"),)
        """
        if isinstance(text, Localizable):
            return text
        for template in templates:
            match = _pattern(template).match(text)
            if match is not None:
                values: dict[str, Any] = match.groupdict()
                for name in set(lists) & set(values):
                    values[name] = cls.join(values[name].split(", "), "list")
                return cls(template, **values)
        return cls(str(text))

    def text(self, tr: Messages) -> str:
        """The message in the words of ``tr``'s locale."""
        return _render(self.message, self.values, self.translations, self.joiner, self.parts, tr)

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Translatable._build,
            (self.message, self.values, self.translations, self.joiner, self.parts),
        )


def _catalogue_name(locale: str) -> str:
    """A locale's catalogue name (``zh-CN`` gives ``zh_CN``); one without a catalogue as given."""
    try:
        return normalise_locale(locale)
    except ValueError:
        return locale


def _render(
    message: str,
    values: tuple[tuple[str, Any], ...],
    translations: tuple[tuple[str, str], ...],
    joiner: Joiner | None,
    parts: tuple[str, ...],
    tr: Messages,
) -> str:
    if joiner is not None:
        english, chinese = _JOINERS[joiner]
        return (chinese if tr.chinese else english).join(str(_filled(p, tr)) for p in parts)
    own = dict(translations).get(tr.locale)
    template = own if own is not None else tr.catalog.gettext(message) if message else ""
    if not values:
        return template
    return template.format(**{name: _filled(value, tr) for name, value in values})


_PLACEHOLDER = re.compile(r"\\\{([a-z_]+)\\\}")


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression matching the texts ``template`` formats."""
    return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(template)) + r"\Z", re.S)


def message_of(exc: BaseException) -> str:
    """The message of an exception, a :class:`Localizable` one kept (``str(exc)`` is English).

    >>> message_of(ValueError(Translatable(N_("no such file")))).text(Messages("zh_CN"))
    '文件不存在'
    >>> message_of(KeyError("x"))
    'x'
    """
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)
