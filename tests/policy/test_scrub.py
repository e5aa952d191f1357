"""Anonymisation of free text before it can reach an analytics table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.policy.scrub import barrier_topic, query_hash, scrub


@pytest.mark.parametrize("text, secret", [
    ("coffee beans, write to jo.doe+trade@example.co.ke", "jo.doe"),
    ("call +254 712 345 678 about shea butter", "712"),
    ("tél 06 12 34 56 78 chaussures", "56 78"),
    ("phone (555) 123-4567 leather", "123-4567"),
    ("order 1234567 cotton", "1234567"),
    ("from 192.168.10.20 solar panels", "192.168"),
    ("ip fe80::1ff:fe23:4567:890a", "fe23"),
    ("see https://shop.example.com/u/ana?id=99", "shop.example"),
])
def test_personal_data_is_removed(text: str, secret: str) -> None:
    cleaned = scrub(text)
    assert secret not in cleaned
    assert "@" not in cleaned


def test_product_words_and_hs_codes_survive() -> None:
    assert scrub("roasted coffee 0901.21 in 2024") == "roasted coffee 0901.21 in 2024"


@given(st.text(max_size=300))
def test_no_run_of_five_digits_survives(text: str) -> None:
    cleaned = scrub(text)
    runs = [cleaned[i:i + 5] for i in range(max(0, len(cleaned) - 4))]
    assert not any(run.isdigit() and run.isascii() for run in runs)
    assert len(cleaned) <= 200


def test_query_hash_ignores_case_spacing_and_personal_data() -> None:
    assert query_hash("Coffee  Beans") == query_hash("coffee beans")
    assert query_hash("coffee a@b.org") == query_hash("coffee c@d.org")


def test_barrier_topics_in_three_languages() -> None:
    assert barrier_topic("Customs clearance takes weeks") == "customs"
    assert barrier_topic("Le dédouanement est lent") == "customs"
    assert barrier_topic("Los pagos internacionales son caros") == "finance"
    assert barrier_topic("nothing in particular") == "other"
