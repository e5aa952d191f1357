"""The translation figure that `tradewind bench hs` reports (speed is not asserted here)."""

from tradewind.finder.benchmark import translation_ms_per_query


def test_translation_figure_is_a_mean_per_query() -> None:
    figure = translation_ms_per_query(rounds=2)
    assert isinstance(figure, float) and figure > 0
