"""The need vocabulary: everyday words for family situations, mapped to PTV service classes.

Families describe what worries them ("vauva ei nuku", "stödfamilj", "bullying"), not the names of
services. data/needs.json is our own vocabulary: each need has phrasings in fi/sv/en, the PTV
service class codes that serve it and the life situations of the family pages it belongs to.

`needs_for` matches simply for now: a phrasing or a stem (a word beginning listed under "stems")
matches where it starts at the beginning of a word of the normalised text, and its last word may go
on ("kiusa" finds "kiusataan", "ero" finds "eronneet"): a rough stand-in for inflection until the
analyser (search/analysis.py) takes over. Stems are chosen so that they are not the beginnings of
common unrelated words (no "huoli", which begins "huolimatta").
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lape.directory.searching import LIFE_SITUATIONS

from .models import Concept, Label
from .ontology import LANGS, ConceptData, WriteSummary, normalise, write_concepts

NEEDS_FILE = Path(__file__).resolve().parent / "data" / "needs.json"
NEED_URI = "urn:lape:need:"
WORD_START = re.compile(r"(?<!\w)\w")
KEY = 3  # phrasings are indexed by their first three characters


class NeedVocabularyError(Exception):
    """The need vocabulary file is missing or malformed; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(_("%(file)s: %(problem)s") % {"file": path, "problem": problem})


@dataclass(frozen=True)
class Need:
    """A family's need in everyday words, with the service classes and life situations it leads to."""

    key: str
    phrases: dict[str, tuple[str, ...]]
    service_classes: tuple[str, ...]
    life_situations: tuple[str, ...]
    stems: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def uri(self) -> str:
        """The URI of the need's concept."""
        return NEED_URI + self.key

    def label(self, lang: str) -> str:
        """The need's first phrasing in `lang`: its name on a page."""
        return self.phrases[lang][0]


def read_needs(path: Path = NEEDS_FILE) -> list[Need]:
    """Read and check a need vocabulary file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NeedVocabularyError(path, _("the file does not exist.")) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NeedVocabularyError(
            path, _("the file cannot be read (%(error)s).") % {"error": error}
        ) from None
    entries = data.get("needs") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise NeedVocabularyError(path, _('the file should hold an object with a non-empty list "needs".'))
    needs = [_need(path, index, entry) for index, entry in enumerate(entries, start=1)]
    if len({n.key for n in needs}) != len(needs):
        raise NeedVocabularyError(path, _("two needs have the same key."))
    return needs


def _need(path: Path, index: int, entry: Any) -> Need:
    def fail(problem: str) -> NeedVocabularyError:
        return NeedVocabularyError(
            path, _("need %(index)d: %(problem)s") % {"index": index, "problem": problem}
        )

    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not entry["key"]:
        raise fail(_("the need has no key."))
    phrases = entry.get("phrases")
    if not isinstance(phrases, dict) or any(
        not isinstance(phrases.get(lang), list) or not phrases[lang] for lang in LANGS
    ):
        raise fail(_("the need should have phrasings in Finnish, Swedish and English."))
    classes, situations = entry.get("service_classes"), entry.get("life_situations", [])
    stems = entry.get("stems", {})
    if not isinstance(stems, dict) or not all(
        isinstance(stems[lang], list) for lang in stems if lang in LANGS
    ):
        raise fail(_('"stems" should be an object of lists by language.'))
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        raise fail(_("the need should name at least one PTV service class."))
    if not isinstance(situations, list) or not set(situations) <= set(LIFE_SITUATIONS):
        raise fail(_("the need names an unknown life situation."))
    words = [
        *(p for lang in LANGS for p in phrases[lang]),
        *(w for lang in LANGS for w in stems.get(lang, [])),
    ]
    short = [
        w
        for w in words
        if not isinstance(w, str) or not WORD_START.match(normalise(w)) or len(normalise(w)) < KEY
    ]
    if short:
        raise fail(
            _(
                "phrasings and stems should begin with a letter and be at least three characters long: %(words)s"
            )
            % {"words": ", ".join(map(str, short))}
        )
    return Need(
        key=entry["key"],
        phrases={lang: tuple(str(p) for p in phrases[lang]) for lang in LANGS},
        service_classes=tuple(classes),
        life_situations=tuple(situations),
        stems={lang: tuple(str(s) for s in stems.get(lang, [])) for lang in LANGS},
    )


@cache
def vocabulary() -> tuple[Need, ...]:
    """The shipped need vocabulary, read once."""
    return tuple(read_needs())


def load_needs(path: Path = NEEDS_FILE) -> WriteSummary:
    """Write the needs as concepts of source "need": first phrasing preferred, the rest alternative, stems hidden."""
    concepts = [
        ConceptData(
            uri=need.uri,
            code=need.key,
            labels=tuple(
                (lang, Label.Kind.PREF if i == 0 else Label.Kind.ALT, phrase)
                for lang in LANGS
                for i, phrase in enumerate(need.phrases[lang])
            )
            + tuple((lang, Label.Kind.HIDDEN, stem) for lang in LANGS for stem in need.stems.get(lang, ())),
            service_classes=need.service_classes,
        )
        for need in read_needs(path)
    ]
    return write_concepts(Concept.Source.NEED, concepts)


def needs_in(situation: str) -> list[Need]:
    """The needs of one life situation of the family pages (e.g. "teenager"), in vocabulary order."""
    return [need for need in vocabulary() if situation in need.life_situations]


@cache
def _index(lang: str) -> dict[str, list[tuple[str, Need]]]:
    """Normalised phrasings and stems of `lang` by their first characters, for one pass over a text."""
    index: dict[str, list[tuple[str, Need]]] = defaultdict(list)
    for need in vocabulary():
        for phrase in (*need.phrases[lang], *need.stems.get(lang, ())):
            key = normalise(phrase)
            index[key[:KEY]].append((key, need))
    return dict(index)


def needs_for(text: str, lang: str) -> list[Need]:
    """The needs whose phrasings occur in `text`, best match (longest phrasing) first.

    Phrasings in `lang` are tried first; when none matches, the other languages' (a family may write
    English on the Finnish page). Besides the text as written, they are looked for in its words' base
    forms ("rahat ei riitä" meets "raha ei riitä") and in neighbouring words written together ("uni
    pulmat" meets the stem "unipulm").
    """
    key = normalise(text[:10_000])
    if not key:
        return []
    order = [lang] if lang in LANGS else []
    for language in [*order, *(other for other in LANGS if other not in order)]:
        found = _matches(_readings(key, language), language)
        if found:
            return found
    return []


# One reading of the text: its characters, and for each character the index of the written word it
# comes from (-1 between words), so that matches in different readings can be compared.
Reading = tuple[str, list[int]]


def _readings(key: str, lang: str) -> list[Reading]:
    """The text as written, in its words' base forms, and with neighbouring words joined."""
    from .analysis import analyse_words, words

    written = words(key[:1000])[:64]
    bases = []
    for word in written:
        analysed = analyse_words(word, lang)  # a stop word ("ei") stays as written: phrases have them
        bases.append(analysed[0][0] if analysed else word)
    owners: list[int] = []
    current = -1
    for char in key:
        if char.isalnum() and (not owners or owners[-1] == -1):
            current += 1
        owners.append(current if char.isalnum() else -1)
    readings: list[Reading] = [(key, owners), _reading([[(base, i)] for i, base in enumerate(bases)])]
    readings.append(_reading([[(a, i), (b, i + 1)] for i, (a, b) in enumerate(itertools.pairwise(written))]))
    return [reading for reading in readings if reading[0]]


def _reading(parts: list[list[tuple[str, int]]]) -> Reading:
    """Parts joined by spaces; each part is pieces of written words (text, word index) written together."""
    text, owners = "", []  # type: str, list[int]
    for pieces in parts:
        if text:
            text += " "
            owners.append(-1)
        for piece, index in pieces:
            text += piece
            owners.extend([index] * len(piece))
    return text, owners


def _matches(readings: list[Reading], lang: str) -> list[Need]:
    """The needs met in the readings, longest phrasing first; a need met only inside another need's
    longer phrasing is left out ("postnatal depression" is one need, not also "depression")."""
    index = _index(lang)
    # (first word, last word, phrasing's length, need) of every phrasing found
    spans: list[tuple[int, int, int, Need]] = []
    for text, owners in readings:
        for start in WORD_START.finditer(text):
            at = start.start()
            for phrase, need in index.get(text[at : at + KEY], ()):
                if not text.startswith(phrase, at):
                    continue
                covered = [owner for owner in owners[at : at + len(phrase)] if owner >= 0]
                if covered:
                    spans.append((min(covered), max(covered), len(phrase), need))
    best: dict[str, tuple[int, Need]] = {}
    for first, last, length, need in spans:
        inside = any(
            other.key != need.key
            and o_first <= first
            and last <= o_last
            and (o_last - o_first, o_len) > (last - first, length)
            for o_first, o_last, o_len, other in spans
        )
        if not inside and length > best.get(need.key, (0, need))[0]:
            best[need.key] = (length, need)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    return [need for _key, (_length, need) in ranked]
