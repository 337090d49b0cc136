"""Numbers and dates read as Vietnamese staff type them, and shown back the same way."""

import datetime
from decimal import Decimal

import pytest
from django import forms

from core.forms import DateField, NumberField, WholeNumberField
from core.numbers import NumberFormatError, format_number, parse_number


@pytest.mark.parametrize("text, expected", [
    ("14,5", "14.5"),
    ("1.200", "1200"),
    ("1.200,5", "1200.5"),
    ("95,5 %", "95.5"),
    ("95,5%", "95.5"),
    ("1 200", "1200"),
    ("1\u00a0200,75", "1200.75"),
    ("1.200.000", "1200000"),
    ("1,200,000", "1200000"),
    ("1,200.5", "1200.5"),
    ("95.5", "95.5"),       # pasted the English way, or sent by a spreadsheet
    ("0.125", "0.125"),     # a leading zero is never a thousands group
    ("14.50", "14.50"),
    ("1,200", "1.200"),     # one comma is the Vietnamese decimal mark
    (",5", "0.5"),
    ("-3", "-3"),
    ("−2,5", "-2.5"),
    ("  7 ", "7"),
    ("100", "100"),
])
def test_parse_number_reads_vietnamese_and_pasted_forms(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "14,5,6", "1.2.3", "1,20.5", "14,", "1.200,5,5",
                                  "12a", "--3", "1e5", "NaN", "∞", "%"])
def test_parse_number_refuses_what_no_one_means(text):
    if text == "%":
        assert parse_number(text) is None  # nothing but a percent sign: an empty answer
        return
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_parse_number_keeps_a_spreadsheet_float_as_typed():
    assert parse_number(14.5) == Decimal("14.5")
    assert parse_number(0.1 + 0.2) == Decimal("0.30000000000000004")  # repr, never binary noise
    assert parse_number(1200) == Decimal(1200)
    assert parse_number("") is None


@pytest.mark.parametrize("value, places, shown", [
    (Decimal("14.5"), None, "14,5"),
    (Decimal("1200"), None, "1.200"),
    (Decimal("1200.50"), None, "1.200,5"),
    (Decimal("33.333"), 1, "33,3"),
    (Decimal("-0.00"), 2, "0"),
    (Decimal("-0.001"), 2, "0"),
    (Decimal("-2.5"), None, "-2,5"),
    (1234567, None, "1.234.567"),
    (None, None, ""),
])
def test_format_number_writes_the_vietnamese_way(value, places, shown):
    assert format_number(value, places) == shown


@pytest.mark.parametrize("text", ["14,5", "1.200", "1.200,5", "95,5 %", "0,75"])
def test_format_then_parse_gives_the_same_number(text):
    assert parse_number(format_number(parse_number(text))) == parse_number(text)


class _Form(forms.Form):
    value = NumberField(max_digits=10, decimal_places=2)
    count = WholeNumberField(required=False, min_value=0)
    day = DateField(required=False)


def test_number_field_reads_and_shows_back_vietnamese_numbers():
    form = _Form({"value": "1.200,5", "count": "1.200", "day": "04/01/2022"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"value": Decimal("1200.5"), "count": 1200,
                                 "day": datetime.date(2022, 1, 4)}
    unbound = _Form(initial={"value": Decimal("14.50"), "count": 1200,
                             "day": datetime.date(2022, 1, 4)})
    html = str(unbound)
    assert 'value="14,5"' in html and 'value="1.200"' in html and 'value="04/01/2022"' in html
    assert 'type="number"' not in html and 'inputmode="decimal"' in html


def test_number_field_refusal_says_which_format_and_keeps_the_typing():
    form = _Form({"value": "14,5,6", "count": "14,50", "day": "31/02/2022"})
    assert not form.is_valid()
    assert "14,5" in form.errors["value"][0] and "1.200" in form.errors["value"][0]
    assert form.errors["count"] == ["Nhập số nguyên, không có phần thập phân (ví dụ 12 hoặc "
                                    "1.200)."]
    assert "dd/mm/yyyy" in form.errors["day"][0]
    html = str(form)
    assert 'value="14,5,6"' in html and 'value="14,50"' in html and 'value="31/02/2022"' in html


def test_number_field_limits_decimals_with_a_vietnamese_message():
    form = _Form({"value": "14,555"})
    assert not form.is_valid()
    assert "14,25" in form.errors["value"][0]


@pytest.mark.parametrize("text", ["04/01/2022", "4/1/2022", "04-01-2022", "04.01.2022",
                                  "2022-01-04", " 04/01/2022 "])
def test_date_field_reads_typed_and_picked_dates(text):
    form = _Form({"value": "1", "day": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2022, 1, 4)
