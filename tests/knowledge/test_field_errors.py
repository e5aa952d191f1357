"""Field errors keep their message apart from their values so forms can translate them."""

from __future__ import annotations

import pytest

from tradewind.knowledge.fields import Field, FieldError, Spec, clean, parse_value


def test_length_error_names_the_limit_and_keeps_a_catalogue_message() -> None:
    with pytest.raises(FieldError) as info:
        parse_value(Field("name", "Name", max_len=5), "abcdefgh")
    assert str(info.value) == "at most 5 characters"
    assert info.value.message == "at most %(max)d characters"
    assert info.value.variables == {"max": 5}


def test_clean_reports_the_formatted_message() -> None:
    spec = Spec("t", "T", (Field("name", "Name", max_len=3), Field("body", "Body", "textarea")))
    values, errors = clean(spec, {"name": "abcd", "body": ""})
    assert errors == {"name": "at most 3 characters", "body": "this field is required"}
    assert "name" not in values


def test_plain_messages_still_work() -> None:
    error = FieldError("expected yes or no")
    assert str(error) == "expected yes or no" and error.variables == {}
