"""Text analysis for search: one analyser turns service texts and queries into the same index terms.

`analyse(text, lang)` lower-cases the text, folds accents except å, ä and ö ("café" -> "cafe"), splits it
into words, drops the language's stop words and returns, word by word:

- **Finnish** (`fi`): with **Voikko** (the reference analyser), each word's base forms and the base forms
  of its compound parts: "lastenneuvolaan" -> lastenneuvola, lapsi, neuvola; "unipulmat" -> unipulma, uni,
  pulma. Words Voikko does not know (typos, names) stay as written, for `close_terms` to correct.
  Without Voikko, the pure-Python **Snowball fallback** gives Snowball stems, and splits compounds by a
  lexicon of known words (lape.search.compounds, longest match, each part stemmed), so that
  "lastenneuvola" still meets "neuvolaan" (both give "neuvol").
- **Swedish** (`sv`): Snowball stems plus lexicon compound parts ("stödfamilj" -> stödfamilj, stöd, familj).
- **English** (`en`): Snowball stems ("bullying" -> "bulli").

Which Finnish analyser is in use: `finnish_analyser_name()`. Voikko is used when it is installed, unless
the environment says `LAPE_SEARCH_FINNISH=snowball` (or `=voikko` to require it). The two give different
terms, so the index must be rebuilt when the analyser changes. Install Voikko with
`apt-get install libvoikko1 voikko-fi` (Debian) and `pip install libvoikko` (its ctypes binding).

`analyse_words` gives the same terms grouped word by word, for queries that want each word matched.

Typo tolerance is `close_terms` (lape.search.typos): the vocabulary's terms within a Damerau-Levenshtein
distance that grows with the word's length (build a `TermIndex` of the vocabulary once for speed). With
Voikko, `spelling_suggestions` also corrects a Finnish word it does not know, inflection and all
("neuvlaan" -> "neuvolaan").

Stop words are in lape.search.stopwords; the compound lexicon in lape.search.compounds
(`add_compound_words` teaches it more words, after which the index must be rebuilt).
"""

from __future__ import annotations

import re
import unicodedata

from lape.search.compounds import split_compound
from lape.search.finnish import FinnishAnalyser, finnish_analyser_name, finnish_terms, voikko_suggestions
from lape.search.stemming import stem_word
from lape.search.stopwords import STOP_WORDS
from lape.search.typos import close_terms

__all__ = [
    "LANGUAGES",
    "analyse",
    "analyse_words",
    "close_terms",
    "finnish_analyser_name",
    "fold",
    "spelling_suggestions",
    "words",
]

LANGUAGES = ("fi", "sv", "en")

# Longer "words" are noise (pasted hashes, binary): skipped rather than analysed.
MAX_WORD_LENGTH = 50

_KEPT_LETTERS = frozenset("åäö")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping the Nordic letters å, ä and ö ("Café Ålö" -> "cafe ålö")."""
    folded = []
    for char in unicodedata.normalize("NFKC", text).lower():
        if char in _KEPT_LETTERS or char.isascii():
            folded.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(folded)


def words(text: str) -> list[str]:
    """The folded words of a text, punctuation and over-long tokens dropped."""
    return [word for word in _WORD.findall(fold(text)) if len(word) <= MAX_WORD_LENGTH]


def analyse(text: str, lang: str, finnish: str | None = None) -> list[str]:
    """The index terms of a text in fi, sv or en, in text order; `finnish` forces voikko or snowball."""
    return [term for word_terms in analyse_words(text, lang, finnish) for term in word_terms]


def analyse_words(text: str, lang: str, finnish: str | None = None) -> list[tuple[str, ...]]:
    """The index terms word by word: the word's base form or stem first, then its compound parts.

    A query can then ask for each word's terms together ("lastenneuvolaan" -> lastenneuvola OR lapsi OR
    neuvola) rather than for any term of any word.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Search analyses Finnish, Swedish and English (fi, sv, en), not {lang!r}.")
    stop_words = STOP_WORDS[lang]
    analyser: FinnishAnalyser | None = finnish_analyser_name(finnish) if lang == "fi" else None
    analysed: list[tuple[str, ...]] = []
    for word in words(text):
        if word in stop_words:
            continue
        if analyser is not None:
            word_terms = finnish_terms(word, analyser, stop_words)
        else:
            word_terms = _stemmed_terms(word, lang)
        if word_terms:
            analysed.append(word_terms)
    return analysed


def spelling_suggestions(word: str, lang: str, finnish: str | None = None) -> list[str]:
    """Corrections of a misspelt query word, whole words to analyse ("neuvlaan" -> "neuvolaan").

    Only Voikko knows Finnish well enough to suggest; elsewhere this is empty and `close_terms` against
    the index's vocabulary does the work.
    """
    if lang != "fi" or finnish_analyser_name(finnish) != "voikko":
        return []
    return list(voikko_suggestions(fold(word)))


def _stemmed_terms(word: str, lang: str) -> tuple[str, ...]:
    """A Swedish or English word's stem, then the stems of its compound parts."""
    stems = [stem_word(word, lang)]
    stems += [stem_word(part, lang) for part in split_compound(word, lang)]
    return tuple(dict.fromkeys(stems))
