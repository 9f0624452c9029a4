"""Typo tolerance: families misspell, and the search still finds the service."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lape.search.typos import TermIndex, allowed_distance, close_terms, edit_distance

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


def test_it_finds_the_same_close_terms_through_a_term_index() -> None:
    words = [
        *VOCABULARY,
        "neuvolat",
        "lastenneuvola",
        "perheneuvola",
        "kouluterveydenhoitaja",
        "prehe",
        "perhe",
    ]
    index = TermIndex(words)
    assert len(index) == len(set(words))
    for term in (
        "neuvla",
        "kuraatori",
        "prehe",
        "kuolu",
        "neuvolaa",
        "perheneuvla",
        "uni",
        "kouluterveydenhoitja",
    ):
        assert close_terms(term, index) == close_terms(term, words), term
    assert close_terms("perheneuvla", index) == ["perheneuvola"]


def test_it_leaves_out_terms_that_share_too_few_trigrams() -> None:
    index = TermIndex(["neuvola", "kuraattori", "perhe"])
    assert index.candidates("kuraatori", 2) == ["kuraattori"]


@given(
    term=st.text(alphabet="aeklnosuv", min_size=3, max_size=11),
    words=st.lists(st.text(alphabet="aeklnosuv", min_size=1, max_size=12), max_size=40),
)
def test_it_misses_no_close_term_through_the_index(term: str, words: list[str]) -> None:
    near = [_one_edit(term, position) for position in range(len(term))]
    vocabulary = [*words, *near]
    assert close_terms(term, TermIndex(vocabulary)) == close_terms(term, vocabulary)


def _one_edit(term: str, position: int) -> str:
    """The term with a neighbour swap, a deletion or a substitution at `position`."""
    if position + 1 < len(term) and position % 3 == 0:
        return term[:position] + term[position + 1] + term[position] + term[position + 2 :]
    if position % 3 == 1:
        return term[:position] + term[position + 1 :]
    return term[:position] + "x" + term[position + 1 :]
