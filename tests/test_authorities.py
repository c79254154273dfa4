"""Reading the authorities CSV: lenient values, every bad row reported."""

from __future__ import annotations

import pytest

from bot.authorities import parse_authorities_csv
from bot.errors import InputError
from bot.vocabulary import AuthorityKind, Nation


def test_values_are_normalised() -> None:
    """Case, spaces and 'Northern Ireland' spellings are accepted; emails lowercased."""
    text = (
        "\ufeffName,Email,Nation,Kind,Domains\n"
        "Belfast Council , FOI@Belfast.Example ,Northern Ireland,Council, a.example; b.example\n"
        "Some Academy,office@academy.example,england,school,\n"
    )
    first, second = parse_authorities_csv(text)
    assert first.name == "Belfast Council"
    assert first.email == "foi@belfast.example"
    assert first.nation is Nation.NORTHERN_IRELAND
    assert first.kind is AuthorityKind.COUNCIL
    assert first.all_domains == ("belfast.example", "a.example", "b.example")
    assert second.kind is AuthorityKind.SCHOOL


def test_every_bad_row_is_reported_with_its_line() -> None:
    text = (
        "name,email,nation,kind\n"
        "Good,foi@good.example,wales,council\n"
        "Bad email,not-an-address,wales,council\n"
        "Bad nation,foi@x.example,Cornwall,council\n"
        "Good,foi@good2.example,wales,council\n"
    )
    with pytest.raises(InputError) as err:
        parse_authorities_csv(text, "dir.csv")
    lines = str(err.value).splitlines()
    assert lines[0].startswith("dir.csv:3: email: expected an address")
    assert lines[1].startswith("dir.csv:4: nation: expected one of england, wales")
    assert lines[2] == "dir.csv:5: name: 'Good' appears twice"


def test_missing_columns_are_named() -> None:
    with pytest.raises(InputError, match="missing: nation, kind"):
        parse_authorities_csv("name,email\nA,a@b.example\n", "x.csv")
