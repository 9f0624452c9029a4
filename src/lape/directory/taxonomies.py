"""The PTV taxonomies as HSDS taxonomies: service classes, target groups and life events.

The Finnish Service Catalogue (PTV) publishes its Finto vocabularies as JSON lists of concepts with
`Id` (URI), `Notation` (code), `Label` and `Notes` {Fi, Sv, En} and `BroaderUris`. Each file becomes
one Taxonomy, each concept one TaxonomyTerm. Ids are uuid5 of the URIs, so a re-import updates in
place and other data (demo services, HSDS exports) can name a term by `term_id_for(uri)`.

Two quirks of the real ServiceClasses.json are handled on purpose: one concept (an old PTVL "P7.12
Ulosotto") has no `Id`, so its `OldUri` stands in; and one (P7.13) names its broader concept in the
old `ptvserclass` scheme, so a broader URI that is not in the file is matched by its last segment,
the notation. Anything else unexpected stops the import with a message naming the file and entry.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Taxonomy, TaxonomyTerm

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_PREFIX = "ptv_"


@dataclass(frozen=True)
class TaxonomySpec:
    """One PTV vocabulary: its file, scheme URI and names."""

    key: str
    file_name: str
    uri: str
    name_fi: str
    name_sv: str
    name_en: str


SPECS = (
    TaxonomySpec(
        "service_classes",
        "ServiceClasses.json",
        "http://uri.suomi.fi/codelist/ptv/ptvserclass2",
        "Palveluluokitus",
        "Tjänsteklassificering",
        "Service classification",
    ),
    TaxonomySpec(
        "target_groups",
        "TargetGroups.json",
        "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat",
        "Kohderyhmät",
        "Målgrupper",
        "Target groups",
    ),
    TaxonomySpec(
        "life_events",
        "LifeEvents.json",
        "http://uri.suomi.fi/codelist/ptv/ptvelti",
        "Elämäntilanteet",
        "Livssituationer",
        "Life events",
    ),
)


class TaxonomyDataError(Exception):
    """A taxonomy file is missing or malformed; the message names the file and the entry."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(_("%(file)s: %(problem)s") % {"file": path, "problem": problem})


@dataclass(frozen=True)
class Concept:
    """One concept of a PTV vocabulary, checked."""

    uri: str
    notation: str
    label: dict[str, str]
    notes: dict[str, str]
    broader: tuple[str, ...]


def term_id_for(uri: str) -> uuid.UUID:
    """The stable id of a taxonomy or term: uuid5 of its URI in the URL namespace."""
    return uuid.uuid5(uuid.NAMESPACE_URL, uri)


def import_ptv_taxonomies(directory: Path, *, prefix: str = "") -> dict[str, int]:
    """Import the three PTV vocabularies from `directory`; all or nothing. Returns terms per taxonomy."""
    directory = Path(directory)
    read = [(spec, _read_concepts(directory / f"{prefix}{spec.file_name}")) for spec in SPECS]
    counts: dict[str, int] = {}
    with transaction.atomic():
        for spec, (path, concepts) in read:
            counts[spec.key] = _write(spec, path, concepts)
    return counts


def load_demo_taxonomies() -> None:
    """Load the small PTV subset shipped for the demo (families, health, education, youth)."""
    import_ptv_taxonomies(DEMO_DIR, prefix=DEMO_PREFIX)


def _read_concepts(path: Path) -> tuple[Path, list[Concept]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise TaxonomyDataError(path, _("the file does not exist.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise TaxonomyDataError(path, _("the file cannot be read (%(error)s).") % {"error": error}) from None
    except json.JSONDecodeError as error:
        raise TaxonomyDataError(
            path,
            _("line %(line)d: the JSON is not valid (%(error)s).")
            % {"line": error.lineno, "error": error.msg},
        ) from None
    if not isinstance(data, list) or not data:
        raise TaxonomyDataError(path, _("the file should hold a non-empty JSON list of concepts."))
    concepts = [_concept(path, index, entry) for index, entry in enumerate(data, start=1)]
    seen: set[str] = set()
    for index, concept in enumerate(concepts, start=1):
        if concept.uri in seen:
            raise TaxonomyDataError(
                path,
                _("entry %(index)d: the URI %(uri)s appears twice.") % {"index": index, "uri": concept.uri},
            )
        seen.add(concept.uri)
    return path, concepts


def _concept(path: Path, index: int, entry: Any) -> Concept:
    def fail(problem: str) -> TaxonomyDataError:
        return TaxonomyDataError(
            path, _("entry %(index)d: %(problem)s") % {"index": index, "problem": problem}
        )

    if not isinstance(entry, dict):
        raise fail(_("the entry is not an object."))
    uri = entry.get("Id") or entry.get("OldUri")
    notation = entry.get("Notation")
    label = entry.get("Label")
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
        raise fail(_("the concept has no Id (URI)."))
    if not isinstance(notation, str) or not notation.strip():
        raise fail(_("the concept has no Notation (code)."))
    if not isinstance(label, dict) or not isinstance(label.get("Fi"), str) or not label["Fi"].strip():
        raise fail(_("the concept has no Finnish Label."))
    notes = entry.get("Notes") or {}
    broader = entry.get("BroaderUris") or []
    if not isinstance(notes, dict) or not isinstance(broader, list):
        raise fail(_("Notes should be an object and BroaderUris a list."))
    return Concept(
        uri=uri,
        notation=notation.strip(),
        label={lang: str(label.get(key) or "").strip() for lang, key in _LANGS},
        notes={lang: str(notes.get(key) or "").strip() for lang, key in _LANGS},
        broader=tuple(b for b in broader if isinstance(b, str) and b),
    )


_LANGS = (("fi", "Fi"), ("sv", "Sv"), ("en", "En"))


def _parents(path: Path, concepts: list[Concept]) -> dict[str, str | None]:
    """Each concept's parent URI; a broader URI not in the file is matched by its notation."""
    by_uri = {c.uri: c for c in concepts}
    by_notation: dict[str, str] = {}
    # Notations are unique but for one stale PTVL concept (P7.12 without an Id): real URIs win.
    for concept in sorted(concepts, key=lambda c: not c.uri.startswith("http://uri.suomi.fi/")):
        by_notation.setdefault(concept.notation, concept.uri)
    parents: dict[str, str | None] = {}
    for concept in concepts:
        parent: str | None = None
        if concept.broader:
            wanted = concept.broader[0]
            parent = wanted if wanted in by_uri else by_notation.get(wanted.rstrip("/").rsplit("/", 1)[-1])
            if parent is None:
                raise TaxonomyDataError(
                    path,
                    _("the broader concept %(broader)s of %(code)s is not in the file.")
                    % {"broader": wanted, "code": concept.notation},
                )
        parents[concept.uri] = parent
    return parents


def _depth(path: Path, uri: str, parents: dict[str, str | None]) -> int:
    depth, seen, current = 0, {uri}, parents[uri]
    while current is not None:
        if current in seen:
            raise TaxonomyDataError(path, _("the broader links of %(uri)s form a loop.") % {"uri": uri})
        seen.add(current)
        depth, current = depth + 1, parents[current]
    return depth


def _translations(concept: Concept) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for lang in ("sv", "en"):
        fields = {"name": concept.label[lang], "description": concept.notes[lang]}
        kept = {key: value for key, value in fields.items() if value}
        if kept:
            result[lang] = kept
    return result


def _write(spec: TaxonomySpec, path: Path, concepts: list[Concept]) -> int:
    taxonomy, _created = Taxonomy.objects.update_or_create(
        id=term_id_for(spec.uri),
        defaults={
            "name": spec.name_fi,
            "translations": {"sv": {"name": spec.name_sv}, "en": {"name": spec.name_en}},
            "uri": spec.uri,
        },
    )
    parents = _parents(path, concepts)
    # Parents first, so every parent row exists when its children point to it.
    for concept in sorted(concepts, key=lambda c: _depth(path, c.uri, parents)):
        parent = parents[concept.uri]
        TaxonomyTerm.objects.update_or_create(
            id=term_id_for(concept.uri),
            defaults={
                "code": concept.notation,
                "name": concept.label["fi"],
                "description": concept.notes["fi"],
                "translations": _translations(concept),
                "parent_id": term_id_for(parent) if parent else None,
                "taxonomy": taxonomy,
                "taxonomy_name": spec.name_fi,
                "language": "fi",
                "term_uri": concept.uri,
            },
        )
    return len(concepts)
