"""Query expansion: a family's words made searchable, with typos corrected and synonyms added.

Each query word becomes a group of alternative index terms (`analyse_words`), then:

- **Typos**: a word none of whose terms is in the index's vocabulary is corrected: with Voikko by its
  spelling suggestions (whole words, inflection and all: "neuvlaan" -> "neuvolaan"), else by the
  vocabulary's nearest terms within a Damerau-Levenshtein distance that grows with the word's length
  ("nuvola" -> "neuvola"). A word with no close term is left out (it cannot match anything) and named
  in `unknown`.
- **Compound parts** stay alternatives of the word (so "neuvola" finds "lastenneuvola"), and
  `strict` keeps the whole words alone, for ranking whole-word matches first.
- **Synonyms**: a word that is a one-word label of a vocabulary concept (TERO, PTV) also
  matches the concept's other one-word labels that occur in the index ("neuvola" -> "äitiysneuvola",
  "lastenneuvola"; "stödfamilj" -> "tukiperhe" in Finnish texts only when labelled so).

The vocabulary of the index (terms with document counts) and the synonym map are read once per
process and kept for `CACHE_SECONDS`; a write to the index in this process forgets them at once.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from lape.search.analysis import analyse_words, spelling_suggestions, words
from lape.search.backends import backend_for
from lape.search.typos import TermIndex, allowed_distance, close_terms, edit_distance

__all__ = [
    "Expanded",
    "expand_query",
    "forget_vocabulary",
    "index_vocabulary",
    "known_words",
    "query_language",
]

CACHE_SECONDS = 300
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 32
MAX_SYNONYMS = 6
MAX_CORRECTIONS = 3
MAX_SUGGESTIONS = 5

_lock = threading.Lock()
_vocabularies: dict[tuple[str, str], tuple[float, dict[str, int], TermIndex]] = {}
_synonym_maps: dict[tuple[str, str], tuple[float, dict[str, frozenset[str]]]] = {}


@dataclass
class Expanded:
    """A query as term groups (each group the alternatives of one word), with what was changed."""

    groups: list[tuple[str, ...]] = field(default_factory=list)
    # The same words without compound parts (the whole word and its synonyms), to rank whole-word
    # matches above part matches: "stödfamilj" above a text that only says "stöd" and "familj".
    strict: list[tuple[str, ...]] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def forget_vocabulary() -> None:
    """Drop the cached vocabularies and synonyms (after writes to the index or the concepts)."""
    with _lock:
        _vocabularies.clear()
        _synonym_maps.clear()


def _key(lang: str) -> tuple[str, str]:
    # One cache per database, so tests on SQLite and PostgreSQL in one process do not mix.
    return (f"{connection.vendor}:{connection.settings_dict.get('NAME')}", lang)


def index_vocabulary(lang: str) -> tuple[dict[str, int], TermIndex]:
    """The index's terms in `lang` with their document counts, and a trigram index of them."""
    key = _key(lang)
    with _lock:
        cached = _vocabularies.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1], cached[2]
    counts = backend_for(connection).vocabulary(lang)
    entry = (time.monotonic(), counts, TermIndex(counts))
    with _lock:
        _vocabularies[key] = entry
    return counts, entry[2]


def _synonym_map(lang: str) -> dict[str, frozenset[str]]:
    """Each one-word concept label's base term -> the base terms of the concept's other one-word labels."""
    key = _key(lang)
    with _lock:
        cached = _synonym_maps.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    from lape.search.models import Concept, Label

    by_concept: dict[int, set[str]] = defaultdict(set)
    # TERO's and PTV's labels name one concept; a need's phrasings are ways into the need, not
    # synonyms of one another ("barnvakt" and "utmattad" both lead to the tired parent's services,
    # which the need's classes bring; as synonyms they would count a "familjearbete" as "barnvakt").
    labels = (
        Label.objects.filter(lang=lang)
        .exclude(normalised__contains=" ")
        .exclude(concept__source=Concept.Source.NEED)
        .values_list("concept_id", "text")
    )
    for concept_id, text in labels.iterator(chunk_size=5000):
        analysed = analyse_words(text, lang)
        if len(analysed) == 1:
            by_concept[concept_id].add(analysed[0][0])
    mapping: dict[str, set[str]] = defaultdict(set)
    for bases in by_concept.values():
        if len(bases) > 1:
            for base in bases:
                mapping[base] |= bases - {base}
    frozen = {base: frozenset(others) for base, others in mapping.items()}
    with _lock:
        _synonym_maps[key] = (time.monotonic(), frozen)
    return frozen


def known_words(query: str, lang: str) -> tuple[int, int]:
    """How many of the query's words the index of `lang` knows, and how many it does not (as written)."""
    vocabulary, _term_index = index_vocabulary(lang)
    known = unknown = 0
    for word_terms in analyse_words(query[:MAX_QUERY_CHARS], lang)[:MAX_QUERY_WORDS]:
        group = {piece for term in word_terms for piece in words(term)}
        if group & vocabulary.keys():
            known += 1
        elif group:
            unknown += 1
    return known, unknown


def query_language(query: str, lang: str, languages: tuple[str, ...]) -> str:
    """The language whose index knows most of the query's words: `lang` unless another knows more.

    A family may write English on the Finnish page, or a Swedish service's name on the English one.
    Another language wins only when it knows every word or at least two more than `lang`'s index (one
    short word is no proof: Voikko reads English "teen" as a form of Finnish "tehdä").
    """
    known, missing = known_words(query, lang)
    if missing == 0:
        return lang
    best, fewest = lang, missing
    for other in languages:
        if other == lang:
            continue
        other_known, other_missing = known_words(query, other)
        if other_missing < fewest and (other_missing == 0 or other_known - known >= 2):
            best, fewest = other, other_missing
    return best


def expand_query(query: str, lang: str, correct: bool = True) -> Expanded:
    """The query's words as term groups with typos corrected and synonyms added (see the module doc).

    Without `correct` a word the index does not know is left out rather than corrected (when the need
    vocabulary has recognised the query, a near word would more likely mislead: "parterapi" is not
    "talterapi").
    """
    expanded = Expanded()
    text = query[:MAX_QUERY_CHARS]
    vocabulary, term_index = index_vocabulary(lang)
    synonyms = _synonym_map(lang)
    for written in words(text):
        analysed = analyse_words(written, lang)  # one word: [] for a stop word, else [its terms]
        if not analysed:
            continue
        group = tuple(dict.fromkeys(piece for term in analysed[0] for piece in words(term)))
        if not group:
            continue
        if not any(term in vocabulary for term in group):
            if not correct:
                expanded.unknown.append(written)
                continue
            group = _corrected(written, group, lang, vocabulary, term_index, expanded)
            if not group:
                continue
        whole = group[0]
        extra = [s for s in sorted(synonyms.get(whole, ())) if s in vocabulary][:MAX_SYNONYMS]
        strict = tuple(dict.fromkeys([whole, *extra])) if whole in vocabulary else group
        group = tuple(dict.fromkeys([*group, *extra]))
        if group not in expanded.groups:
            expanded.groups.append(group)
            expanded.strict.append(strict)
        if len(expanded.groups) == MAX_QUERY_WORDS:
            break
    return expanded


def _corrected(
    written: str,
    group: tuple[str, ...],
    lang: str,
    vocabulary: dict[str, int],
    term_index: TermIndex,
    expanded: Expanded,
) -> tuple[str, ...]:
    """The terms of the nearest known spelling of a word the index does not have, or () if none."""
    for suggestion in spelling_suggestions(written, lang)[:MAX_SUGGESTIONS]:
        for suggested_terms in analyse_words(suggestion, lang):
            known = tuple(t for term in suggested_terms for t in words(term) if t in vocabulary)
            if known:
                expanded.corrections[written] = suggestion
                return known
    nearest = close_terms(group[0], term_index)
    if nearest:
        # The nearest distance only, most common first: "nuvola" -> "neuvola", not every 1-edit term.
        best = edit_distance(group[0], nearest[0])
        closest = sorted(
            (t for t in nearest if edit_distance(group[0], t) == best), key=lambda t: (-vocabulary[t], t)
        )
        expanded.corrections[written] = closest[0]
        return tuple(closest[:MAX_CORRECTIONS])
    # Doubled letters are the commonest slip ("buling", "neuvolla"): compare with them written once.
    word = _single_letters(group[0])
    limit = allowed_distance(word)
    doubled = [
        term
        for term in term_index.candidates(group[0], 2)
        if limit and term != group[0] and edit_distance(word, _single_letters(term), limit) <= limit
    ]
    if doubled:
        best_term = max(doubled, key=lambda term: (vocabulary[term], term))
        expanded.corrections[written] = best_term
        return (best_term,)
    expanded.unknown.append(written)
    return ()


def _single_letters(term: str) -> str:
    """A term with each run of one letter written once ("bulli" -> "buli")."""
    return "".join(char for index, char in enumerate(term) if index == 0 or char != term[index - 1])
