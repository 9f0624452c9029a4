"""Typo tolerance: the vocabulary's terms within a few edits of a query word ("neuvla" -> "neuvola").

Damerau-Levenshtein distance (optimal string alignment: an adjacent swap counts as one edit), in pure
Python. The allowed distance grows with the word: none below 4 letters, 1 for 4-7, 2 for 8 or more.
For a large vocabulary (the index's terms) build a `TermIndex` once: it compares a word only with the
terms that share enough letter trigrams with it, instead of with every term.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

DEFAULT_MAX_DISTANCE = 2


def allowed_distance(term: str, max_distance: int = DEFAULT_MAX_DISTANCE) -> int:
    """How many edits a word of this length may have: 0 below 4 letters, 1 up to 7, then 2 (capped)."""
    length = len(term)
    if length < 4:
        by_length = 0
    elif length < 8:
        by_length = 1
    else:
        by_length = 2
    return max(0, min(by_length, max_distance))


def close_terms(term: str, vocabulary: Iterable[str], max_distance: int = DEFAULT_MAX_DISTANCE) -> list[str]:
    """The other terms of the vocabulary within the allowed distance of `term`, nearest first."""
    limit = allowed_distance(term, max_distance)
    if limit == 0:
        return []
    if isinstance(vocabulary, TermIndex):
        vocabulary = vocabulary.candidates(term, limit)
    found: dict[str, int] = {}
    for candidate in vocabulary:
        if candidate == term or candidate in found or abs(len(candidate) - len(term)) > limit:
            continue
        distance = edit_distance(term, candidate, limit)
        if distance <= limit:
            found[candidate] = distance
    return sorted(found, key=lambda candidate: (found[candidate], candidate))


def edit_distance(first: str, second: str, limit: int | None = None) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance; above `limit`, any value above it."""
    if limit is not None and abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, first_char in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, second_char in enumerate(second, start=1):
            cost = 0 if first_char == second_char else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and first_char == second[j - 2] and first[i - 2] == second_char:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if limit is not None and min(current) > limit:
            return limit + 1  # every path is already too long
        previous_previous, previous = previous, current
    return previous[-1]


class TermIndex:
    """A vocabulary indexed by letter trigrams, so that `close_terms` checks only the likely terms."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.terms: list[str] = sorted(set(vocabulary))
        self._by_trigram: dict[str, list[int]] = defaultdict(list)
        self._by_length: dict[int, list[int]] = defaultdict(list)
        for number, term in enumerate(self.terms):
            self._by_length[len(term)].append(number)
            for trigram in set(_trigrams(term)):
                self._by_trigram[trigram].append(number)

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def candidates(self, term: str, limit: int) -> list[str]:
        """Terms that can be within `limit` edits of `term` (a superset: the distance is checked after)."""
        trigrams = set(_trigrams(term))
        # One edit changes at most 4 trigrams (a swap of neighbours touches 4); a term that shares fewer
        # than this many of the word's trigrams is further away than the limit.
        needed = len(trigrams) - 4 * limit
        if needed <= 0:
            lengths = range(len(term) - limit, len(term) + limit + 1)
            return [self.terms[number] for length in lengths for number in self._by_length.get(length, ())]
        shared: Counter[int] = Counter()
        for trigram in trigrams:
            shared.update(self._by_trigram.get(trigram, ()))
        return [self.terms[number] for number, count in shared.items() if count >= needed]


def _trigrams(term: str) -> list[str]:
    padded = f"^{term}$"
    return [padded[start : start + 3] for start in range(len(padded) - 2)]
