"""Typo tolerance: families misspell, and the search still finds the service."""

from __future__ import annotations

from lape.search.typos import allowed_distance, close_terms, edit_distance

VOCABULARY = [
    "neuvola",
    "neuvonta",
    "kuraattori",
    "kuraattorit",
    "perhe",
    "uni",
    "pulma",
    "koulu",
    "koulukuraattori",
]


def test_it_corrects_neuvla_to_neuvola() -> None:
    assert close_terms("neuvla", VOCABULARY) == ["neuvola"]


def test_it_corrects_kuraatori_to_kuraattori_nearest_first() -> None:
    assert close_terms("kuraatori", VOCABULARY) == ["kuraattori", "kuraattorit"]


def test_it_counts_a_swap_of_neighbours_as_one_edit() -> None:
    assert edit_distance("perhe", "prehe") == 1
    assert close_terms("prehe", VOCABULARY) == ["perhe"]


def test_it_does_not_correct_short_words() -> None:
    assert close_terms("uno", VOCABULARY) == []


def test_it_allows_more_edits_for_longer_words() -> None:
    assert [allowed_distance(word) for word in ("uni", "koulu", "neuvonta")] == [0, 1, 2]
    assert allowed_distance("neuvonta", max_distance=1) == 1


def test_it_leaves_out_the_term_itself_and_words_too_far() -> None:
    assert close_terms("koulu", VOCABULARY) == []
    assert close_terms("kuolu", VOCABULARY) == ["koulu"]
