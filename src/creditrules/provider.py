"""Providers: who lends, under which policy, within which limits.

A :class:`Provider` is a value a plugin registers through the
``register_providers`` hook (or a declarative TOML file read by
:func:`creditrules.load_provider`). It carries the provider's names, the
products it offers, facts about funding and reporting, its effective-dated
policy values (each with source and grade) and its limits. The engine never
special-cases a provider: everything it knows comes from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from ._i18n import N_, Translatable, available_locales, normalise_locale
from ._validators import named, to_tuple
from ._words import unknown_key
from .model import METHODS, PRODUCTS, Account
from .policy import GRADES, PARAMETERS, PolicySet, PolicyValue

__all__ = ["Provider", "ProviderFact", "check_account"]


def _grade(instance: Any, attribute: Any, value: str) -> None:
    if value not in GRADES:
        raise ValueError(
            named("grade", N_("must be one of A, B, C, D, got {value}"), value=repr(value))
        )


def _text(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(
            named(attribute.name, N_("must be text (a string), got {value}"), value=repr(value))
        )


def _translations(value: Any) -> tuple[tuple[str, str, str], ...]:
    """``(locale, English text, translation)`` triples, from triples or ``{locale: {en: text}}``.

    Locale names are checked and normalised (``zh-CN`` gives ``zh_CN``); one English text
    has at most one translation per locale.
    """
    if isinstance(value, Mapping):
        triples: list[Any] = []
        for locale, texts in value.items():
            if not isinstance(texts, Mapping):
                raise TypeError(
                    f"translations[{locale!r}] must map English texts to translations, "
                    f"got {texts!r}"
                )
            triples.extend((locale, english, text) for english, text in texts.items())
    else:
        triples = list(to_tuple(value))
    checked: dict[tuple[str, str], str] = {}
    for triple in triples:
        if not (
            isinstance(triple, tuple | list)
            and len(triple) == 3
            and all(isinstance(part, str) for part in triple)
        ):
            raise TypeError(
                f"a translation is (locale, English text, translation) text, got {triple!r}"
            )
        locale, english, text = triple
        key = (normalise_locale(locale), english)  # ValueError listing the locales available
        if checked.setdefault(key, text) != text:
            raise ValueError(f"two {key[0]} translations of {english!r}")
    return tuple((locale, english, text) for (locale, english), text in checked.items())


@attrs.frozen
class ProviderFact:
    """A sourced fact about a provider that is not a policy number.

    Examples: who reports to the credit bureau, how authorisation to report ends.

    Attributes:
        key: A short stable name (``reporter``, ``authorization``, ``funder``).
        text: The fact, in plain words.
        source: URL or legal citation.
        grade: Confidence grade A–D.
        note: Caveats.
    """

    key: str
    text: str
    source: str = attrs.field(kw_only=True)
    grade: str = attrs.field(kw_only=True, validator=_grade)
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class Provider:
    """A lender's product line and its policy.

    Attributes:
        id: The id account files use (``provider = "acme"``).
        name_zh: Chinese name (花呗).
        name_en: English name (Acme Credit).
        products: Product kinds offered (``revolving``, ``installment``).
        policy: Effective-dated, sourced policy values.
        facts: Other sourced facts (reporting, funding, authorisation).
        methods: Loan repayment methods offered (installment products).
        required: Policy parameters every account must give itself (from its contract),
            with the reason — e.g. a penalty rate no public source states.
        unknown: Parameters no source states, with what that means for users.
        description: One paragraph on what the provider is.
        validate: Extra account checks returning ``(json_path, message)`` pairs. A
            message that is a :class:`~creditrules.remediation.Phrase` with
            ``translations={"zh_CN": ...}`` is shown in Chinese by ``--lang zh_CN``.
        translations: The provider's texts in other languages, as ``(locale, English
            text, translation)`` triples; a mapping ``{"zh_CN": {"not published":
            "未公布"}}`` is accepted and converted. The description, the facts'
            texts, the sources and notes of policy values and facts, and the reasons of
            ``required`` and ``unknown`` are shown in the chosen language where a
            translation is given, in English otherwise (see :meth:`translate`). A
            provider file gives them as ``description_zh``, ``note_zh``, … and
            ``[unknown_zh]``.
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z][a-z0-9_-]*$"))
    name_zh: str = attrs.field(default="", validator=_text)
    name_en: str = attrs.field(default="", validator=_text)
    products: tuple[str, ...] = attrs.field(default=PRODUCTS, converter=to_tuple)
    policy: tuple[PolicyValue, ...] = attrs.field(default=(), converter=to_tuple)
    facts: tuple[ProviderFact, ...] = attrs.field(default=(), converter=to_tuple)
    methods: tuple[str, ...] = attrs.field(default=METHODS, converter=to_tuple)
    required: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=to_tuple)
    unknown: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=to_tuple)
    description: str = attrs.field(default="", validator=_text)
    validate: Callable[[Account], list[tuple[str, str]]] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    translations: tuple[tuple[str, str, str], ...] = attrs.field(
        default=(), converter=_translations, repr=False, kw_only=True
    )

    @products.validator
    def _check_products(self, attribute: Any, value: tuple[str, ...]) -> None:
        for product in value:
            if product not in PRODUCTS:
                raise ValueError(
                    Translatable(
                        N_("unknown product kind {value}; known: {known}"),
                        value=repr(product),
                        known=Translatable.join(PRODUCTS, "list"),
                    )
                )

    @methods.validator
    def _check_methods(self, attribute: Any, value: tuple[str, ...]) -> None:
        for method in value:
            if method not in METHODS:
                raise ValueError(
                    Translatable(
                        N_("unknown method {value}; known: {known}"),
                        value=repr(method),
                        known=Translatable.join(METHODS, "list"),
                    )
                )

    def __attrs_post_init__(self) -> None:
        PolicySet(provider=self.policy)  # raises PolicyError on overlapping versions
        for name, _ in (*self.required, *self.unknown):
            if name not in PARAMETERS:
                raise ValueError(unknown_key(name, PARAMETERS, kind=N_("policy parameter")))

    @property
    def display_name(self) -> str:
        """``"中文名 English name"``-style name, or the id."""
        return " ".join(n for n in (self.name_zh, self.name_en) if n) or self.id

    def translate(self, text: str, locale: str) -> str:
        """Return the provider's own translation of one of its texts, or the text itself.

        Args:
            text: A text of the provider, in English (its description, a fact, a source,
                a note, a reason).
            locale: The language wanted (``"zh_CN"``; ``"zh-CN"`` works too).

        Returns:
            The translation the provider gives for ``locale``; ``text`` when it gives none.

        >>> Provider(id="acme", translations={"zh_CN": {"not published": "未公布"}}).translate(
        ...     "not published", "zh-CN"
        ... )
        '未公布'
        """
        try:
            wanted = normalise_locale(locale)
        except ValueError:  # a locale without a catalogue: nothing is translated into it
            return text
        for name, english, translation in self.translations:
            if name == wanted and english == text:
                return translation
        return text

    def policy_at(self, day: date) -> dict[str, PolicyValue]:
        """The provider's own values in force on ``day``, by parameter name."""
        return {v.name: v for v in self.policy if v.in_force(day)}

    def fact(self, key: str) -> ProviderFact:
        """Return the fact with this key.

        Raises:
            KeyError: if there is none.
        """
        for fact in self.facts:
            if fact.key == key:
                return fact
        raise KeyError(key)


def check_account(provider: Provider, account: Account) -> list[tuple[str, str]]:
    """Check an account against a provider's limits.

    The messages are :class:`~creditrules._i18n.Translatable`: English, and written in
    another language with the provider's own translations of its texts.

    Returns:
        ``(json_path, message)`` pairs; empty when the account fits.
    """
    problems: list[tuple[str, str]] = []
    label = provider.display_name
    if account.product not in provider.products:
        problems.append(
            (
                "$.account.product",
                Translatable(
                    N_("{provider} offers {products} credit, not {product}"),
                    provider=label,
                    products=_names(provider.products),
                    product=Translatable(account.product),
                ),
            )
        )
    loan = account.loan
    if loan is not None:
        values = {**provider.policy_at(loan.start_date)}
        values.update({v.name: v for v in account.policy if v.in_force(loan.start_date)})
        if loan.method not in provider.methods:
            problems.append(
                (
                    "$.loan.method",
                    Translatable(
                        N_("{provider} loans use {methods}, not {method}"),
                        provider=label,
                        methods=_names(provider.methods),
                        method=Translatable(loan.method),
                    ),
                )
            )
        term = values.get("max_term_months")
        if term is not None and term.value is not None and loan.term_months > term.value:
            problems.append(
                (
                    "$.loan.term_months",
                    Translatable(
                        N_(
                            "{provider} loans run at most {maximum} months, this one {months} "
                            "(source: {source}, grade {grade})"
                        ),
                        provider=label,
                        maximum=term.value,
                        months=loan.term_months,
                        source=_own(provider, term.source),
                        grade=term.grade,
                    ),
                )
            )
        cap = values.get("max_principal")
        if cap is not None and cap.value is not None and loan.principal > cap.value:
            problems.append(
                (
                    "$.loan.principal",
                    Translatable(
                        N_(
                            "{provider} lends at most {maximum}, this loan is {principal} "
                            "(source: {source})"
                        ),
                        provider=label,
                        maximum=cap.value,
                        principal=loan.principal,
                        source=_own(provider, cap.source),
                    ),
                )
            )
    given = {v.name for v in account.policy}
    for name, why in provider.required:
        if name not in given:
            problems.append(
                (
                    f"$.policy.{name}",
                    Translatable(
                        N_("{provider} needs {name} from your contract: {reason}"),
                        provider=label,
                        name=name,
                        reason=_own(provider, why),
                    ),
                )
            )
    if provider.validate is not None:
        problems.extend(provider.validate(account))
    return problems


def _names(ids: tuple[str, ...]) -> Translatable:
    """Product kinds or repayment methods, each in the catalogue's words (``等额本金``)."""
    return Translatable.join([Translatable(name) for name in ids], "list")


def _own(provider: Provider, text: str) -> Translatable:
    """One of the provider's texts, with the translations the provider gives of it."""
    translations = {
        locale: provider.translate(text, locale)
        for locale in available_locales()
        if provider.translate(text, locale) != text
    }
    return Translatable(text, translations=translations)
