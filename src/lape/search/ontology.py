"""The search vocabulary: TERO and the PTV classifications as concepts with fi/sv/en labels, and synonyms.

TERO (../shared/data/ptv/tero_ontology.json, from the PTV repository) is a JSON list of concepts:
`id` (URI), `label` {fi, sv, en, sometimes de/et}, `altLabels` and `hiddenLabels` {lang: [..]},
`broaderURIs` and `narrowerURIs`. Most broader URIs point outside the file (to KOKO/YSO concepts not
in TERO); only links between concepts both in the file are kept.

Matching is deliberately simple for now: a label and a term match when their `normalise`d forms are
equal (case folded, whitespace folded). The text analyser (search/analysis.py) comes later and will
match inflected and compound forms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lape.directory.api_cache import bump_directory_version
from lape.directory.models import TaxonomyTerm
from lape.directory.taxonomies import term_id_for

from .models import Concept, Label

LANGS = ("fi", "sv", "en")
PTV_SERVICE_CLASS = re.compile(r"^P\d+(\.\d+)*$")
QUALIFIED = re.compile(r"^(.*\S)\s*\([^()]*\)\s*$")


def normalise(text: str) -> str:
    """The form labels are compared in: case folded, runs of whitespace as one space, trimmed."""
    return " ".join(text.casefold().split())


class OntologyDataError(Exception):
    """A vocabulary file is missing or malformed; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(_("%(file)s: %(problem)s") % {"file": path, "problem": problem})


@dataclass(frozen=True)
class ConceptData:
    """A concept as read from a source, before it is written: labels are (lang, kind, text)."""

    uri: str
    code: str = ""
    labels: tuple[tuple[str, str, str], ...] = ()
    broader: tuple[str, ...] = ()
    service_classes: tuple[str, ...] = ()


@dataclass
class WriteSummary:
    """What one write of a vocabulary did."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    labels: int = 0
    links: int = 0
    outside_links: int = 0


def write_concepts(source: str, concepts: list[ConceptData]) -> WriteSummary:
    """Make the concepts of `source` exactly `concepts`: create, update by URI, remove the rest; atomic."""
    summary = WriteSummary()
    uris = [c.uri for c in concepts]
    with transaction.atomic():
        existing = dict(Concept.objects.filter(uri__in=uris).values_list("uri", "id"))
        _count, removed = Concept.objects.filter(source=source).exclude(uri__in=uris).delete()
        summary.removed = removed.get(Concept._meta.label, 0)
        new = [
            Concept(uri=c.uri, source=source, code=c.code, service_classes=list(c.service_classes))
            for c in concepts
            if c.uri not in existing
        ]
        Concept.objects.bulk_create(new, batch_size=500)
        summary.created = len(new)
        old = list(Concept.objects.filter(uri__in=list(existing)))
        by_uri = {c.uri: c for c in concepts}
        for concept in old:
            data = by_uri[concept.uri]
            concept.source, concept.code, concept.service_classes = (
                source,
                data.code,
                list(data.service_classes),
            )
        Concept.objects.bulk_update(old, ["source", "code", "service_classes"], batch_size=500)
        summary.updated = len(old)

        ids = dict(Concept.objects.filter(uri__in=uris).values_list("uri", "id"))
        Label.objects.filter(concept_id__in=ids.values()).delete()
        labels = _labels(concepts, ids)
        Label.objects.bulk_create(labels, batch_size=1000)
        summary.labels = len(labels)

        through = Concept.broader.through
        through.objects.filter(from_concept_id__in=ids.values()).delete()
        wanted = {b for c in concepts for b in c.broader} - ids.keys()
        targets = {**dict(Concept.objects.filter(uri__in=list(wanted)).values_list("uri", "id")), **ids}
        links = {(ids[c.uri], targets[b]) for c in concepts for b in c.broader if b in targets and b != c.uri}
        summary.outside_links = sum(1 for c in concepts for b in c.broader if b not in targets)
        through.objects.bulk_create(
            [through(from_concept_id=child, to_concept_id=parent) for child, parent in sorted(links)],
            batch_size=1000,
        )
        summary.links = len(links)
    from .expansion import forget_vocabulary

    forget_vocabulary()  # the synonyms come from the concepts' labels
    bump_directory_version()  # and searches with them: cached search pages are out of date
    return summary


def _labels(concepts: Iterable[ConceptData], ids: dict[str, int]) -> list[Label]:
    seen: set[tuple[int, str, str, str]] = set()
    labels = []
    for concept in concepts:
        for lang, kind, text in concept.labels:
            text = " ".join(text.split())
            key = (ids[concept.uri], lang, kind, text)
            if not text or key in seen or lang not in LANGS:
                continue
            seen.add(key)
            labels.append(
                Label(
                    concept_id=key[0], lang=lang, kind=kind, text=text[:500], normalised=normalise(text)[:500]
                )
            )
    return labels


def read_tero(path: Path) -> list[ConceptData]:
    """Read and check the TERO file; narrower links become the narrower concepts' broader links."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise OntologyDataError(path, _("the file does not exist.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise OntologyDataError(path, _("the file cannot be read (%(error)s).") % {"error": error}) from None
    except json.JSONDecodeError as error:
        raise OntologyDataError(
            path,
            _("line %(line)d: the JSON is not valid (%(error)s).")
            % {"line": error.lineno, "error": error.msg},
        ) from None
    if not isinstance(data, list) or not data:
        raise OntologyDataError(path, _("the file should hold a non-empty JSON list of concepts."))
    entries = [_tero_entry(path, index, entry) for index, entry in enumerate(data, start=1)]
    in_file = {uri for uri, *_rest in entries}
    if len(in_file) != len(entries):
        raise OntologyDataError(path, _("some concepts appear twice (the same id)."))
    broader: dict[str, set[str]] = {uri: set(up) for uri, _labels, up, _down in entries}
    for uri, _labels, _up, down in entries:
        for child in down:
            if child in broader:
                broader[child].add(uri)
    return [
        ConceptData(uri=uri, labels=labels, broader=tuple(sorted(broader[uri])))
        for uri, labels, *_x in entries
    ]


def _tero_entry(
    path: Path, index: int, entry: Any
) -> tuple[str, tuple[tuple[str, str, str], ...], list[str], list[str]]:
    def fail(problem: str) -> OntologyDataError:
        return OntologyDataError(
            path, _("entry %(index)d: %(problem)s") % {"index": index, "problem": problem}
        )

    if not isinstance(entry, dict):
        raise fail(_("the entry is not an object."))
    uri, label = entry.get("id"), entry.get("label")
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
        raise fail(_("the concept has no id (URI)."))
    if not isinstance(label, dict) or not isinstance(label.get("fi"), str) or not label["fi"].strip():
        raise fail(_("the concept %(uri)s has no Finnish label.") % {"uri": uri})
    labels: list[tuple[str, str, str]] = [
        (lang, Label.Kind.PREF, text) for lang, text in label.items() if isinstance(text, str)
    ]
    for key, kind in (("altLabels", Label.Kind.ALT), ("hiddenLabels", Label.Kind.HIDDEN)):
        per_lang = entry.get(key) or {}
        if not isinstance(per_lang, dict):
            raise fail(_("%(field)s of %(uri)s should be an object of lists.") % {"field": key, "uri": uri})
        for lang, texts in per_lang.items():
            labels.extend(
                (lang, kind, t) for t in (texts if isinstance(texts, list) else []) if isinstance(t, str)
            )
    # "anoreksia (oireet, syömishäiriöt)": the qualifier tells homonyms apart; families type the word.
    labels.extend(
        (lang, Label.Kind.HIDDEN, bare.group(1))
        for lang, kind, text in list(labels)
        if kind != Label.Kind.HIDDEN and (bare := QUALIFIED.match(text))
    )
    up, down = entry.get("broaderURIs") or [], entry.get("narrowerURIs") or []
    if not isinstance(up, list) or not isinstance(down, list):
        raise fail(_("broaderURIs and narrowerURIs of %(uri)s should be lists.") % {"uri": uri})
    return uri, tuple(labels), [u for u in up if isinstance(u, str)], [u for u in down if isinstance(u, str)]


def default_tero_path() -> Path:
    """Where TERO is by default: the shared data folder's ptv/tero_ontology.json."""
    return Path(settings.SHARED_DATA_DIR) / "ptv" / "tero_ontology.json"


def import_tero(path: Path) -> WriteSummary:
    """Import TERO from `path`, all or nothing; re-importing updates by URI and removes dropped concepts."""
    return write_concepts(Concept.Source.TERO, read_tero(path))


def sync_ptv_concepts() -> WriteSummary:
    """Make every taxonomy term of the directory (PTV classes, target groups, life events) a concept."""
    concepts: dict[str, ConceptData] = {}
    # Terms of an imported HSDS taxonomy may repeat a PTV URI; the PTV import's own term (its id
    # derived from the URI) speaks for it, else the first by code.
    terms = TaxonomyTerm.objects.select_related("parent")
    for term in sorted(terms, key=lambda t: (t.id != term_id_for(_term_uri(t)), t.code, str(t.id))):
        if _term_uri(term) in concepts:
            continue
        labels = [("fi", Label.Kind.PREF, term.name)]
        labels += [(lang, Label.Kind.PREF, term.text("name", lang, fallback=False)) for lang in ("sv", "en")]
        parent = _term_uri(term.parent) if term.parent else None
        concepts[_term_uri(term)] = ConceptData(
            uri=_term_uri(term),
            code=term.code,
            labels=tuple(labels),
            broader=(parent,) if parent else (),
            service_classes=(term.code,) if PTV_SERVICE_CLASS.match(term.code) else (),
        )
    return write_concepts(Concept.Source.PTV, list(concepts.values()))


def _term_uri(term: TaxonomyTerm) -> str:
    return str(term.term_uri or f"urn:uuid:{term.id}")


def load_vocabulary(tero: Path | None = None) -> dict[str, WriteSummary]:
    """TERO (when a file is given), the directory's PTV terms and the need vocabulary, all or nothing.

    The demo calls it after the PTV taxonomies, with `default_tero_path()` when that file exists.
    """
    from .needs import load_needs

    summaries: dict[str, WriteSummary] = {}
    with transaction.atomic():
        if tero is not None:
            summaries["tero"] = import_tero(tero)
        summaries["ptv"] = sync_ptv_concepts()
        summaries["needs"] = load_needs()
    return summaries


def synonyms(term: str, lang: str, into: Iterable[str] | None = None) -> set[str]:
    """The labels of every concept that has `term` as a `lang` label, and of its narrower concepts.

    Labels are given in `lang`, or in the languages `into` names (e.g. LANGS, for a search across
    languages). `term` matches a label when both normalise to the same text; inflected forms do not
    match yet (the analyser will see to that). An unknown term gives an empty set.
    """
    key = normalise(term)
    if not key:
        return set()
    matched = set(Label.objects.filter(normalised=key, lang=lang).values_list("concept_id", flat=True))
    if not matched:
        return set()
    narrower = Concept.broader.through.objects.filter(to_concept_id__in=matched)
    ids = matched | set(narrower.values_list("from_concept_id", flat=True))
    languages = list(into) if into is not None else [lang]
    return set(Label.objects.filter(concept_id__in=ids, lang__in=languages).values_list("text", flat=True))
