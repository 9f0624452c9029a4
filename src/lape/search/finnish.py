"""Finnish words to index terms: Voikko lemmas and compound parts, or Snowball stems and lexicon parts.

`LAPE_SEARCH_FINNISH` chooses: "voikko" (fail if it is missing), "snowball" (never use Voikko), or
unset/"auto" (Voikko when it is installed, else Snowball). See lape.search.analysis for installing.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured

from lape.search.compounds import FINNISH_FORMS, split_compound
from lape.search.stemming import stem_word

FinnishAnalyser = Literal["voikko", "snowball"]

ENVIRONMENT_VARIABLE = "LAPE_SEARCH_FINNISH"

# Time adverbs that neither analyser links to their noun, but families write them ("vauva ei nuku öisin").
_TIME_ADVERBS = {
    "öisin": "yö",
    "päivisin": "päivä",
    "iltaisin": "ilta",
    "aamuisin": "aamu",
    "arkisin": "arki",
    "viikonloppuisin": "viikonloppu",
    "kesäisin": "kesä",
    "talvisin": "talvi",
}

# Snowball stems "lapsi" to "lap" but "lapset", "lapsen" to "laps": one stem for the word families use most.
_STEM_ALIASES = {"lap": "laps"}

_WORDBASE = re.compile(r"\+([^+()]+)(?:\(([^()]*)\))?")

_voikko_lock = threading.Lock()
_voikko_instance: Any = None
_voikko_failure: str | None = None


def _voikko() -> Any:
    """The process's Voikko instance, or None when libvoikko or its Finnish dictionary is missing."""
    global _voikko_instance, _voikko_failure
    with _voikko_lock:
        if _voikko_instance is None and _voikko_failure is None:
            try:
                from libvoikko import Voikko

                _voikko_instance = Voikko("fi")
            except Exception as error:  # ImportError, OSError (no libvoikko.so), VoikkoException
                _voikko_failure = str(error) or type(error).__name__
        return _voikko_instance


def voikko_available() -> bool:
    """Whether Voikko and its Finnish dictionary can be loaded on this machine."""
    return _voikko() is not None


def finnish_analyser_name(preference: str | None = None) -> FinnishAnalyser:
    """The Finnish analyser in use: the preference, else LAPE_SEARCH_FINNISH, else Voikko when installed."""
    choice = (preference or os.environ.get(ENVIRONMENT_VARIABLE) or "auto").lower()
    if choice == "snowball":
        return "snowball"
    if choice == "voikko":
        if not voikko_available():
            raise ImproperlyConfigured(
                f"{ENVIRONMENT_VARIABLE}=voikko, but Voikko could not be loaded ({_voikko_failure}). "
                "Install it (Debian: apt-get install libvoikko1 voikko-fi; pip install libvoikko) "
                f"or set {ENVIRONMENT_VARIABLE}=snowball."
            )
        return "voikko"
    if choice != "auto":
        raise ImproperlyConfigured(
            f"{ENVIRONMENT_VARIABLE} must be voikko, snowball or auto, not {choice!r}."
        )
    return "voikko" if voikko_available() else "snowball"


def finnish_terms(word: str, analyser: FinnishAnalyser, stop_lemmas: frozenset[str]) -> tuple[str, ...]:
    """Index terms of one lower-cased Finnish word: its base form(s), then its compound parts."""
    terms = _voikko_terms(word) if analyser == "voikko" else _snowball_terms(word)
    return tuple(term for term in terms if term not in stop_lemmas)


def _snowball_terms(word: str) -> tuple[str, ...]:
    terms = [_stem(FINNISH_FORMS.get(word, word))]
    terms += [_stem(part) for part in split_compound(word, "fi")]
    if word in _TIME_ADVERBS:
        terms.append(_stem(_TIME_ADVERBS[word]))
    return tuple(dict.fromkeys(terms))


def _stem(word: str) -> str:
    stem = stem_word(word, "fi")
    return _STEM_ALIASES.get(stem, stem)


_PROPER_NAMES = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})


def _analyse_with_voikko(word: str) -> list[dict[str, str]]:
    """Voikko's analyses of a word, common words before names; a name reading only when it is the only one."""
    voikko = _voikko()
    with _voikko_lock:  # a Voikko handle is not safe to share between threads
        analyses: list[dict[str, str]] = [dict(analysis) for analysis in voikko.analyze(word)]
    common = [analysis for analysis in analyses if analysis.get("CLASS") not in _PROPER_NAMES]
    return common or analyses


@lru_cache(maxsize=50_000)
def _voikko_terms(word: str) -> tuple[str, ...]:
    if word.isdigit():
        return (word,)
    analyses = _analyse_with_voikko(word)
    if not analyses:
        return (word,)  # unknown to Voikko (a typo, a name): keep it for typo matching
    terms = [analysis.get("BASEFORM", word).lower() for analysis in analyses]
    for analysis in analyses:
        terms += _voikko_parts(analysis.get("WORDBASES"))
    if word in _TIME_ADVERBS:
        terms.append(_TIME_ADVERBS[word])
    return tuple(dict.fromkeys(terms))


def _voikko_parts(wordbases: str | None) -> list[str]:
    """Compound parts from Voikko's WORDBASES, e.g. "+lasten(lapsi)+neuvola(neuvola)" -> lapsi, neuvola.

    A derivational suffix such as "+u(+u)" joins the part before it ("palvel" + "u" -> "palvelu"); a
    joined part in an inflected form ("terve" + "yden") is analysed again for its base form ("terveys").
    """
    pieces: list[tuple[str, str | None]] = []  # (surface, base word; None when a suffix was joined)
    for match in _WORDBASE.finditer(wordbases or ""):
        surface, base = match.group(1), match.group(2) or match.group(1)
        if base.startswith("+") and pieces:
            pieces[-1] = (pieces[-1][0] + surface, None)
        else:
            pieces.append((surface, base))
    if len(pieces) < 2:
        return []
    return [(base or _base_form(surface)).lower() for surface, base in pieces]


def _base_form(surface: str) -> str:
    """The first base form Voikko gives a compound part, or the part itself."""
    analyses = _analyse_with_voikko(surface.lower())
    return analyses[0].get("BASEFORM", surface) if analyses else surface
