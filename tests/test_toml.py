"""Tests of the one TOML reader (creditrules._toml)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest

from creditrules._toml import MAX_DEPTH, Traversable, load_toml, loads_toml, read_file
from creditrules.errors import InputError


def test_floats_are_decimals_and_dates_are_dates() -> None:
    """A TOML float is read as the exact Decimal written; a local date as a date."""
    data = loads_toml("rate = 0.0005\namount = 1000.10\nday = 2025-03-01\nn = 3\n")
    assert data == {
        "rate": Decimal("0.0005"),
        "amount": Decimal("1000.10"),
        "day": date(2025, 3, 1),
        "n": 3,
    }
    assert str(data["amount"]) == "1000.10"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = \n", "invalid TOML at line 1, column 5: invalid value"),
        (
            "format = 1\n[provider\n",
            "invalid TOML at line 2, column 10: expected ']' at the end of a table declaration",
        ),
        ("a = 1\nb = [1,", "invalid TOML at line 2, column 8: invalid value"),
        ('a = "x', "invalid TOML at line 1, column 7: unterminated string"),
    ],
)
def test_syntax_errors_name_line_and_column(text: str, message: str) -> None:
    """Every syntax error has one wording: invalid TOML at line L, column C: what."""
    with pytest.raises(InputError) as caught:
        loads_toml(text, source="f.toml")
    assert caught.value.file == "f.toml"
    assert caught.value.path == "$"
    assert caught.value.message == message
    assert str(caught.value) == f"f.toml: {message} @ $"


def test_text_without_source_names_no_file() -> None:
    """TOML text given directly has no file in its errors."""
    with pytest.raises(InputError) as caught:
        loads_toml("a = ")
    assert caught.value.file is None


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "a = " + "[" * 5000 + "]" * 5000,  # deeper than the parser's recursion allows
        ".".join(["k"] * (MAX_DEPTH + 1)) + " = 1",
    ],
)
def test_nesting_deeper_than_the_limit_is_refused(text: str) -> None:
    """Tables and arrays nested beyond MAX_DEPTH are an InputError, never a RecursionError."""
    with pytest.raises(InputError, match=f"nest more than {MAX_DEPTH} deep"):
        loads_toml(text)


def test_nesting_up_to_the_limit_is_read() -> None:
    """Exactly MAX_DEPTH levels of tables and arrays are fine."""
    text = ".".join(["k"] * (MAX_DEPTH - 1)) + " = [1]"
    assert loads_toml(text)["k"]["k"]


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark (as some editors write) is not a syntax error."""
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeffname = '花呗'\n".encode())
    assert load_toml(path) == {"name": "花呗"}
    assert loads_toml("\ufeffa = 1") == {"a": 1}


def test_load_toml_names_the_file_in_syntax_errors(tmp_path: Path) -> None:
    """A syntax error in a file names the file."""
    path = tmp_path / "bad.toml"
    path.write_text("a = 1\nb = \n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert caught.value.file == str(path)
    assert caught.value.message == "invalid TOML at line 2, column 5: invalid value"


def test_read_errors_are_worded_once(tmp_path: Path) -> None:
    """Missing files, directories and non-UTF-8 bytes each have one message naming the file."""
    with pytest.raises(InputError, match="no such file") as caught:
        load_toml(tmp_path / "nope.toml")
    assert caught.value.file == str(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="is a directory, not a file"):
        read_file(tmp_path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"name = '\xe9'\n")
    with pytest.raises(InputError, match=r"not UTF-8 text \(bad byte at offset 8\)"):
        load_toml(str(latin))


def test_package_resources_are_read() -> None:
    """An importlib.resources file is a Traversable and is read like a path."""
    resource = files("creditrules") / "py.typed"
    assert isinstance(resource, Traversable)
    assert isinstance(read_file(resource), str)
