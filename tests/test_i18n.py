"""Tests for the gettext catalogs (creditrules/locale): complete, translated, compiled."""

from __future__ import annotations

import gettext
import re
from datetime import date
from pathlib import Path

import pytest

import creditrules
from creditrules import CORE_RULES, available_locales, explain, load_account
from creditrules._i18n import DOMAIN, LOCALE_DIR, Messages, normalise_locale, translation
from creditrules.default_plugins.pboc import PARSING_CODE, PBOC

babel = pytest.importorskip("babel")
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_file  # noqa: E402
from babel.messages.mofile import read_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

#: The modules whose _() / ngettext / N_ messages go through the catalogues.
SOURCES = (
    "_i18n.py",
    "assessment.py",
    "explain.py",
    "_explain.py",
    "rules.py",
    "cli.py",
    "_render/*.py",
)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)[^{}]*\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Chinese characters or Chinese (full-width) punctuation.
_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _po(locale: str) -> Catalog:
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def _mo(locale: str) -> Catalog:
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        return read_mo(f)


def _texts(value: object) -> tuple[str, ...]:
    """A message id or string as a tuple (one item, or one per plural form)."""
    return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]


def _ids(catalog: Catalog) -> set[str]:
    return {_texts(m.id)[0] for m in catalog if m.id}


def _used_in_code() -> set[str]:
    package = Path(creditrules.__file__).parent
    found: set[str] = set()
    for pattern in SOURCES:
        for path in sorted(package.glob(pattern)):
            for _lineno, message, _comments, _context in extract_from_file("python", path):
                found.add(message if isinstance(message, str) else message[0])
    return found


def _runtime_messages() -> set[str]:
    """Messages translated at run time that are not literals in the code."""
    texts = {rule.description for rule in CORE_RULES}
    texts |= {citation.text for citation in PBOC.citations}
    texts |= {relief.name for relief in PBOC.reliefs}
    texts |= {text for relief in PBOC.reliefs for text in (relief.source, relief.note)}
    texts |= {PBOC.description, PARSING_CODE}
    return texts


def test_locales_are_english_and_chinese() -> None:
    """The package ships compiled catalogs for en and zh_CN, and gettext loads them strictly."""
    assert available_locales() == ("en", "zh_CN")
    for locale in available_locales():
        loaded = gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=False)
        assert isinstance(loaded, gettext.GNUTranslations)


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_every_message_used_in_code_is_in_the_catalog(locale: str) -> None:
    """Every _() / ngettext / N_ message of the explanations, rules and CLI is in the catalog."""
    missing = _used_in_code() - _ids(_po(locale))
    assert not missing, f"add to locale/{locale}/LC_MESSAGES/creditrules.po: {sorted(missing)}"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_rule_descriptions_and_bureau_citations_are_in_the_catalog(locale: str) -> None:
    """Core rule descriptions and the PBOC bureau's texts (citations, reliefs) are catalogued."""
    missing = _runtime_messages() - _ids(_po(locale))
    assert not missing, f"add to locale/{locale}/LC_MESSAGES/creditrules.po: {sorted(missing)}"


def test_both_catalogs_have_the_same_messages() -> None:
    """The English and Chinese catalogs list the same message ids."""
    assert _ids(_po("en")) == _ids(_po("zh_CN"))


def test_every_chinese_message_is_translated() -> None:
    """Each zh_CN message has a non-empty translation, different from the English, not fuzzy."""
    untranslated = []
    for message in _po("zh_CN"):
        if not message.id:
            continue
        strings = _texts(message.string)
        source = _texts(message.id)[0]
        if (
            message.fuzzy
            or not all(strings)
            or any(s == source for s in strings)
            or not all(_CHINESE.search(s) for s in strings)
        ):
            untranslated.append(source)
    assert not untranslated, untranslated


def test_translations_keep_the_placeholders() -> None:
    """A translation uses exactly the {placeholders} of its message (so formatting never fails)."""
    wrong = []
    for message in _po("zh_CN"):
        if not message.id:
            continue
        ids = _texts(message.id)
        expected = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
        for string in _texts(message.string):
            if set(_PLACEHOLDER.findall(string)) != expected:
                wrong.append((ids[0], string))
    assert not wrong, wrong


def test_chinese_plural_forms() -> None:
    """The zh_CN catalog has one plural form; the English one has two."""
    assert _po("zh_CN").num_plurals == 1
    assert _po("en").num_plurals == 2
    assert translation("zh_CN").ngettext("{n} day", "{n} days", 5) == "{n}天"
    assert translation("en").ngettext("{n} day", "{n} days", 1) == "{n} day"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_compiled_catalogs_are_up_to_date(locale: str) -> None:
    """Each .mo holds exactly the translations of its .po (run pybabel compile if not)."""

    def pairs(catalog: Catalog) -> dict[object, object]:
        # What gettext returns: an empty or identical msgstr is the msgid itself.
        return {
            _texts(m.id): _texts(m.string)
            for m in catalog
            if m.id and all(_texts(m.string)) and _texts(m.string) != _texts(m.id) and not m.fuzzy
        }

    assert pairs(_mo(locale)) == pairs(_po(locale)), (
        "run: pybabel compile -D creditrules -d src/creditrules/locale"
    )


def test_chinese_uses_the_usual_terms() -> None:
    """The Chinese catalog words the key ideas as borrowers read them."""
    text = "\n".join(s for m in _po("zh_CN") if m.id for s in _texts(m.string))
    terms = ("罚息", "逾期", "宽限期", "还款", "不良记录", "不良信息", "信用报告", "代偿", "异议")
    for term in terms:
        assert term in text, term


def test_unknown_locale_lists_the_available_ones() -> None:
    """An unknown locale is a ValueError naming the locales there are."""
    with pytest.raises(ValueError, match=r"'fr'; available: en, zh_CN"):
        translation("fr")


def test_locale_spellings() -> None:
    """zh-CN and zh_cn name the zh_CN catalog."""
    assert translation("zh-CN") is translation("zh_CN")
    assert translation("zh_cn") is translation("zh_CN")


@pytest.mark.parametrize(
    ("name", "as_of"),
    [
        ("generic-revolving", date(2025, 4, 30)),
        ("generic-loan", date(2025, 6, 30)),
    ],
)
def test_chinese_explanations_have_no_english_sentences(name: str, as_of: date) -> None:
    """Every sentence and core rule description of a Chinese explanation is in Chinese."""
    result = creditrules.assess(load_account(EXAMPLES / f"{name}.toml"), as_of=as_of)
    explanation = result.explain("zh_CN", include_not_fired=True)
    for figure in explanation.figures:
        assert _CJK.search(figure.text), figure.text
        if figure.description:  # rules of the core, the PBOC bureau and the planner
            assert _CJK.search(figure.description), figure.description
    for rule in explanation.not_fired:
        assert _CJK.search(rule.text), rule.text


def test_the_catalogue_names_stay_importable_from_explain() -> None:
    """creditrules.explain still offers the catalogue names it always did."""
    assert explain.translation is translation
    assert (explain.DOMAIN, explain.LOCALE_DIR) == (DOMAIN, LOCALE_DIR)
    assert explain.available_locales is available_locales


def test_normalise_locale() -> None:
    """Locale spellings resolve to a catalogue name; an unknown one is a ValueError."""
    assert normalise_locale("ZH-cn") == "zh_CN"
    assert normalise_locale("en") == "en"
    with pytest.raises(ValueError, match="available: en, zh_CN"):
        normalise_locale("zh_TW")


def test_messages_format_in_the_locales_words() -> None:
    """Messages formats dates, months, spans and day counts, and joins sentences per language."""
    en, zh = Messages("en"), Messages("zh-CN")
    day = date(2025, 3, 10)
    assert (en.date(day), zh.date(day)) == ("2025-03-10", "2025年3月10日")
    assert (en.days(1), en.days(2), zh.days(2)) == ("1 day", "2 days", "2天")
    assert en.months("2025-03", "2025-03") == en.month("2025-03") == "2025-03"
    assert "2025-03" in en.months("2025-03", "2025-05")
    assert (en.then("A.", "B."), zh.then("甲。", "乙。")) == ("A. B.", "甲。乙。")
    assert zh._("a text no catalogue has") == "a text no catalogue has"


# ------------------------------------------------------------------------------ providers' texts

#: A provider file with the Chinese of its texts beside them.
PROVIDER_ZH = """
format = 1
[provider]
id = "acme"
name_zh = "示例贷"
name_en = "Acme"
products = ["revolving"]
description = "A lender for tests."
description_zh = "测试用的放款机构。"

[policy.penalty_daily_rate]
value = "0.0005"
source = "Acme terms, clause 7"
source_zh = "示例贷条款第7条"
grade = "B"
note = "A day, on the unpaid amount."
note_zh = "按未还金额每天计收。"

[[facts]]
key = "reporter"
text = "Reports monthly."
text_zh = "每月报送。"
source = "Acme annual report"
grade = "B"

[unknown]
grace_days = "not published"

[unknown_zh]
grace_days = "未公布"
"""


def test_a_provider_file_gives_its_texts_in_chinese() -> None:
    """Each *_zh text and [unknown_zh] reason becomes the provider's zh_CN translation."""
    provider = creditrules.load_provider(PROVIDER_ZH)
    assert provider.description == "A lender for tests."
    assert provider.name_zh == "示例贷"
    zh = {english: text for _, english, text in provider.translations}
    assert zh == {
        "A lender for tests.": "测试用的放款机构。",
        "Acme terms, clause 7": "示例贷条款第7条",
        "A day, on the unpaid amount.": "按未还金额每天计收。",
        "Reports monthly.": "每月报送。",
        "not published": "未公布",
    }
    assert provider.translate("not published", "zh-CN") == "未公布"
    assert provider.translate("not published", "en") == "not published"
    assert provider.translate("Acme annual report", "zh_CN") == "Acme annual report"
    english = PROVIDER_ZH.split("[unknown_zh]")[0].splitlines()
    without = creditrules.load_provider("\n".join(s for s in english if "_zh = " not in s))
    assert (without.translations, without.description) == ((), "A lender for tests.")


def test_a_provider_files_chinese_texts_are_checked() -> None:
    """A Chinese text needs its English one, must be text, and names a listed parameter."""
    bad = """
format = 1
[provider]
id = "acme"
description_zh = "没有英文"
[policy.grace_days]
value = 0
source = "Acme terms"
source_zh = 3
grade = "B"
[[facts]]
key = "a"
text = "Same text."
text_zh = "一种译法"
source = "s"
grade = "B"
[[facts]]
key = "b"
text = "Same text."
text_zh = "另一种译法"
source = "s"
grade = "B"
[unknown_zh]
max_principal = "未公布"
"""
    with pytest.raises(creditrules.InputError) as raised:
        creditrules.load_provider(bad)
    problems = {(p.path, p.message.split(";")[0].split(" (")[0]) for p in raised.value.problems}
    assert problems == {
        ("$.provider.description_zh", "a Chinese text needs its English text beside it"),
        ("$.policy.grace_days.source_zh", "give the Chinese text as text"),
        ("$.facts[1].text_zh", "the text 'Same text.' already has another Chinese text"),
        ("$.unknown_zh.max_principal", "'max_principal' is not listed in [unknown]"),
    }


def test_provider_translations_are_checked_and_travel() -> None:
    """Provider(translations=...) names catalogued locales, one translation a text; it pickles."""
    import pickle

    provider = creditrules.Provider(id="acme", translations={"zh-CN": {"a": "甲"}})
    assert provider.translations == (("zh_CN", "a", "甲"),)
    assert pickle.loads(pickle.dumps(provider)) == provider
    assert hash(provider) == hash(
        creditrules.Provider(id="acme", translations=[("zh_CN", "a", "甲")])
    )
    with pytest.raises(ValueError, match="available: en, zh_CN"):
        creditrules.Provider(id="acme", translations={"fr": {"a": "à"}})
    with pytest.raises(ValueError, match="two zh_CN translations of 'a'"):
        creditrules.Provider(id="acme", translations=[("zh_CN", "a", "甲"), ("zh-CN", "a", "乙")])
    with pytest.raises(TypeError, match="locale, English text, translation"):
        creditrules.Provider(id="acme", translations=[("zh_CN", "a")])


#: Sources a Chinese reader reads as they are: pages, and citations written in legal style.
_READABLE_SOURCE = re.compile(
    r"^(?:[\w.-]+\.(?:com|cn|city|cc|net|org)/\S*|[^A-Za-z]*(?:Art\. \d+)?)$"
)


@pytest.mark.parametrize("provider_id", ["generic", "huabei", "jiebei", "fenqile"])
def test_bundled_providers_give_every_text_in_chinese(provider_id: str) -> None:
    """The bundled providers translate their prose; sources are pages or legal citations."""
    registry = creditrules.get_registry()
    if provider_id not in registry.providers:
        pytest.skip(f"the {provider_id} plugin is not installed")
    provider = registry.providers[provider_id]
    prose = [provider.description, *(why for _, why in (*provider.unknown, *provider.required))]
    prose += [text for fact in provider.facts for text in (fact.text, fact.note) if text]
    prose += [value.note for value in provider.policy if value.note]
    untranslated = [text for text in prose if provider.translate(text, "zh_CN") == text]
    assert untranslated == []
    sources = [fact.source for fact in provider.facts] + [v.source for v in provider.policy]
    unreadable = [
        source
        for source in sources
        if provider.translate(source, "zh_CN") == source
        and not all(_READABLE_SOURCE.match(part) for part in source.split("; "))
    ]
    assert unreadable == []
