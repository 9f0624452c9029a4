"""Snowball stemmers (pure Python) for Finnish, Swedish and English, one per language and thread."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import snowballstemmer

_SNOWBALL_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}
_local = threading.local()
_VOWELS = frozenset("aeiouyåäö")


def _stemmer(lang: str) -> Any:
    # Snowball stemmer objects keep state while stemming, so each thread gets its own.
    stemmers: dict[str, Any] = getattr(_local, "stemmers", {})
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(_SNOWBALL_NAMES[lang])
        _local.stemmers = stemmers
    return stemmers[lang]


@lru_cache(maxsize=50_000)
def stem_word(word: str, lang: str) -> str:
    """The Snowball stem of a lower-cased word ("bullying" -> "bulli", "barnet" -> "barn")."""
    stem = str(_stemmer(lang).stemWord(word))
    if lang == "sv" and stem == word:
        stem = _swedish_definite(stem)
    return stem


def _swedish_definite(word: str) -> str:
    """Strip the definite -et/-an that Snowball keeps ("barnet" -> "barn", "skolan" -> "skol")."""
    if word.endswith(("et", "an")) and len(word) >= 6 and word[-3] not in _VOWELS:
        return word[:-2]
    return word
