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
    """Voikko's likeliest analyses of a word: common words before names, then the fewest compound parts.

    Voikko also offers odd readings ("kuuluvat" as kuu + lupa); the one with fewer parts is the usual one.
    """
    voikko = _voikko()
    with _voikko_lock:  # a Voikko handle is not safe to share between threads
        analyses: list[dict[str, str]] = [dict(analysis) for analysis in voikko.analyze(word)]
    analyses = [analysis for analysis in analyses if analysis.get("CLASS") not in _PROPER_NAMES] or analyses
    if not analyses:
        return []
    fewest = min(_part_count(analysis) for analysis in analyses)
    return [analysis for analysis in analyses if _part_count(analysis) == fewest]


def _part_count(analysis: dict[str, str]) -> int:
    return max(1, analysis.get("STRUCTURE", "=").count("="))


@lru_cache(maxsize=50_000)
def _voikko_terms(word: str) -> tuple[str, ...]:
    if word.isdigit():
        return (word,)
    analyses = _analyse_with_voikko(word)
    if not analyses:
        return (word,)  # unknown to Voikko (a typo, a name): keep it for typo matching
    terms = [analysis.get("BASEFORM", word).lower() for analysis in analyses]
    for analysis in analyses:
        terms += _voikko_parts(word, analysis)
    if word in _TIME_ADVERBS:
        terms.append(_TIME_ADVERBS[word])
    return tuple(dict.fromkeys(terms))


def _voikko_parts(word: str, analysis: dict[str, str]) -> list[str]:
    """The base forms of a compound's parts: "lastenneuvolaan" -> lapsi, neuvola; [] for a simple word.

    STRUCTURE marks where each part starts in the inflected word ("=pppppp=ppppppppp"). A first part
    keeps its shape in the base form too, so WORDBASES ("+lasten(lapsi)+neuvola(neuvola)") names its base,
    or Voikko analyses it alone ("terveyden" -> terveys); the last part is the rest of the base form.
    """
    heads = _structure_parts(word, analysis.get("STRUCTURE", ""))
    if len(heads) < 2:
        return []
    heads.pop()
    prefix = "".join(heads)
    baseform = analysis.get("BASEFORM", word).lower()
    if not baseform.startswith(prefix) or len(baseform) == len(prefix):
        return []
    named = {
        surface.lower(): base.lower()
        for surface, base in _WORDBASE.findall(analysis.get("WORDBASES", ""))
        if base and not base.startswith("+")
    }
    return [named.get(head) or _base_form(head) for head in heads] + [baseform[len(prefix) :]]


def _structure_parts(word: str, structure: str) -> list[str]:
    """The word cut where STRUCTURE starts a new part ("=" marks); [] when the two do not line up."""
    parts: list[str] = []
    letters = iter(word)
    for mark in structure:
        if mark == "=":
            parts.append("")
            continue
        letter = next(letters, None)
        if letter is None or not parts:
            return []
        parts[-1] += letter
    return [part for part in parts if part] if next(letters, None) is None else []


def _base_form(surface: str) -> str:
    """The base form Voikko gives a compound's first part on its own, or the part as it is."""
    analyses = _analyse_with_voikko(surface)
    return analyses[0].get("BASEFORM", surface).lower() if analyses else surface


def knows_word(word: str) -> bool:
    """Whether Voikko recognises the word (False when Voikko is missing)."""
    return voikko_available() and bool(_analyse_with_voikko(word))


@lru_cache(maxsize=10_000)
def voikko_suggestions(word: str) -> tuple[str, ...]:
    """Voikko's spelling suggestions for a word it does not know ("neuvlaan" -> ... "neuvolaan"); () without Voikko."""
    voikko = _voikko()
    if voikko is None or len(word) > 50 or _analyse_with_voikko(word):
        return ()
    with _voikko_lock:
        suggestions = voikko.suggest(word)
    return tuple(suggestion.lower() for suggestion in suggestions if " " not in suggestion)
