"""Finding services: a family's words and filters in, the best-fitting active services out.

`find_services(query, lang, filters)` is the one search that the HSDS API and the family's pages call.
Every step but the distance is a query of the full-text index, which holds only active services:

1. **Filters** (lape.search.filters) become facet terms (lape.search.facets) AND-ed to the query:
   the municipality or county served, any child's age, language, level, low-threshold, free, the
   life situation's service classes. Only a distance limit is SQL (the places' coordinates).
2. **Text**: the query's words are analysed, corrected and expanded with synonyms
   (lape.search.expansion) and matched in the index of the page's language, or of another language
   when that one knows more of the words (English words on the Finnish page). The services that match
   every word are the text matches; when none does, those matching some words are.
3. **Needs**: the need vocabulary (lape.search.needs) recognises a family's situation in the query
   ("vauva ei nuku öisin") and adds the services of the PTV service classes that serve it.
4. **Ranking**: the index ranks the candidates (FTS5 bm25, PostgreSQL ts_rank_cd with word rarity),
   then the best `CANDIDATES` are scored again in Python: the share of the family's words found
   (words the index does not know count as not found), whole words above compound parts, the rarer
   word above the common one, plus the recognised need, then the filters' fit (a place in the
   municipality, a nearer place). Open now is checked against the opening hours (Finnish time,
   exceptions respected) over the best `OPEN_NOW_WINDOW`.

Bounds that keep a search fast at national scale (documented in docs/api.md): `total` counts at most
`COUNT_CAP` matches; when a search matches more than that, the index ranks the first `RANK_WINDOW`
matches in the name, then the first `RANK_WINDOW` of all, rather than every match.

An empty query with filters lists the services that fit (browsing), nearest or by name.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from lape.directory.models import Service, ServiceAtLocation
from lape.directory.opening_hours import services_open_at
from lape.search import facets
from lape.search.analysis import LANGUAGES
from lape.search.backends import Expr, Restriction, Row, backend_for
from lape.search.expansion import Expanded, expand_query, index_vocabulary, query_language
from lape.search.filters import FilterError, Filters, Place, parse_filters
from lape.search.needs import Need, needs_for, needs_in

__all__ = [
    "FilterError",
    "Filters",
    "Hit",
    "Place",
    "SearchResults",
    "find_services",
    "parse_filters",
]

CANDIDATES = 200  # candidates scored in Python
COUNT_CAP = 500
RANK_WINDOW = 500  # at least COUNT_CAP
OPEN_NOW_WINDOW = 200  # "open now" reads the opening hours of this many best matches
MAX_NEEDS = 3
KM_PER_DEGREE = 111.195
# Score parts: the share of the words found and the text's relevance make a text match's score (0-1);
# a recognised need adds about as much as a good text match; the filters' fit only orders near-equals.
COVERAGE = 0.5
RELEVANCE = 0.5
NEED_FIRST = 0.6
NEED_OTHER = 0.4
NEED_MORE = 0.3  # each further recognised need a service also serves
NEED_CLASS_STEP = 0.03  # a need's first service class before its later ones
FIT_DISTANCE = 0.1
FIT_LOCAL = 0.05
FIELD_WEIGHTS = (1.0, 0.5, 0.3)  # a word in the name, the body, the context
PART_ONLY = 0.5  # a word found only as a compound part


@dataclass
class Hit:
    """One service found, with its score and, when asked for, distance and whether it is open now."""

    service_id: uuid.UUID
    score: float
    distance_km: float | None = None
    open_now: bool | None = None


@dataclass
class SearchResults:
    """A page of hits with the total, the needs recognised and the words corrected or not known.

    `total` is exact up to COUNT_CAP and COUNT_CAP beyond (`total_capped` then says so).
    """

    hits: list[Hit]
    total: int
    needs: list[Need] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    total_capped: bool = False


def filter_terms(filters: Filters) -> list[Expr]:
    """The filters as facet-term clauses, each to be AND-ed to the query."""
    clauses: list[Expr] = []
    if filters.municipality:
        clauses.append(facets.municipality(filters.municipality))
    if filters.county:
        clauses.append(facets.county(filters.county))
    if filters.ages:
        clauses.append(("or", [facets.age(years) for years in filters.ages]))
    if filters.languages:
        clauses.append(("or", [facets.language(code) for code in filters.languages]))
    if filters.levels:
        clauses.append(("or", [facets.level(value) for value in filters.levels]))
    if filters.low_threshold:
        clauses.append(facets.low_threshold())
    if filters.free:
        clauses.append(facets.free())
    if filters.situation:
        classes = {code for need in needs_in(filters.situation) for code in need.service_classes}
        clauses.append(("or", [facets.service_class(code) for code in sorted(classes)]))
    return clauses


def _within_distance(filters: Filters) -> dict[uuid.UUID, float] | None:
    """The services with a place within the radius, with their nearest place's distance in km.

    A bounding box in SQL (indexed), then the great-circle distance: a service's nearest place is in
    the box whenever any of its places is within the radius.
    """
    if filters.near is None or filters.radius_km is None:
        return None
    near = filters.near
    lat_span = filters.radius_km / KM_PER_DEGREE
    lon_span = lat_span / max(0.01, math.cos(math.radians(near.latitude)))
    places = ServiceAtLocation.objects.filter(
        location__latitude__range=(near.latitude - lat_span, near.latitude + lat_span),
        location__longitude__range=(near.longitude - lon_span, near.longitude + lon_span),
    ).values_list("service_id", "location__latitude", "location__longitude")
    return {pk: km for pk, km in _nearest(places, near).items() if km <= filters.radius_km}


def rarity(groups: Sequence[tuple[str, ...]], lang: str) -> list[float]:
    """Each word's weight by how few services have it (an inverse document frequency, 0-1)."""
    vocabulary, _index = index_vocabulary(lang)
    most = max(vocabulary.values(), default=1)
    weights = []
    for group in groups:
        count = max((vocabulary.get(term, 0) for term in group), default=0)
        weights.append(math.log(1 + most / (count + 1)) / math.log(1 + most))
    return weights


@dataclass
class _Search:
    """One search's parts, shared by the steps below."""

    lang: str
    clauses: list[Expr]
    restrict: Restriction | None
    expanded: Expanded
    needs: list[Need]

    def text_exprs(self) -> list[Expr]:
        """The text queries from the most precise to the loosest; the first that matches is used.

        Every whole word (with its synonyms); then every word, a compound's parts standing for it
        ("lastenneuvola" also as "lapsi" and "neuvola"); then any of the words.
        """
        groups, wholes = self.expanded.groups, self.expanded.strict
        if not groups:
            return []
        exprs: list[Expr] = [("and", [("or", list(whole)) for whole in wholes])]
        if wholes != groups:
            exprs.append(("and", [("or", list(group)) for group in groups]))
        if len(groups) > 1:
            exprs.append(("or", [term for group in groups for term in group]))
        return exprs

    def need_expr(self) -> Expr | None:
        classes = [code for need in self.needs for code in need.service_classes]
        if not classes:
            return None
        return ("or", [facets.service_class(code) for code in dict.fromkeys(classes)])

    def filtered(self, expr: Expr) -> Expr:
        return ("and", [expr, *self.clauses])


def find_services(
    query: str,
    lang: str,
    filters: Filters | None = None,
    *,
    offset: int = 0,
    limit: int = 20,
    now: dt.datetime | None = None,
    counts: bool = False,
) -> SearchResults:
    """Active services for a family's words in fi, sv or en and filters, best first; see the module doc.

    `counts` adds the matches' counts by level, language, low-threshold and free (for the pages).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Search is in Finnish, Swedish and English (fi, sv, en), not {lang!r}.")
    filters = filters or Filters()
    now = now or timezone.now()
    query = query.replace("\x00", " ").strip()
    offset, limit = max(0, offset), max(1, limit)
    if filters.nowhere:
        return SearchResults(hits=[], total=0)
    backend = backend_for(connection)
    within = _within_distance(filters)
    clauses, restrict = filter_terms(filters), (list(within) if within is not None else None)
    if restrict == []:
        return SearchResults(hits=[], total=0)
    if not query:
        return _browse(lang, clauses, restrict, filters, offset, limit, now, counts, within)

    needs = needs_for(query, lang)[:MAX_NEEDS]
    text_lang = query_language(query, lang, LANGUAGES)
    expanded = expand_query(query, text_lang, correct=not needs)
    search = _Search(text_lang, clauses, restrict, expanded, needs)

    text: Expr | None = None
    for candidate in search.text_exprs():
        if backend.count(search.filtered(candidate), text_lang, 1, restrict=restrict):
            text = candidate
            break
    need = search.need_expr()
    union = [expr for expr in (text, need) if expr is not None]
    if not union:
        return SearchResults(hits=[], total=0, corrections=expanded.corrections, unknown=expanded.unknown)
    either: Expr = ("or", union) if len(union) > 1 else union[0]
    total = backend.count(search.filtered(either), text_lang, COUNT_CAP, restrict=restrict)

    window = max(CANDIDATES, offset + limit, OPEN_NOW_WINDOW if filters.open_now else 0)
    # Below COUNT_CAP matches in all, the text matches are fewer still: ranked exactly.
    rows = _text_rows(search, text, total, window) if text is not None else []
    # Services only a need brings can outrank weak text matches: read them unless every word matched
    # in enough services to fill the page.
    if need is not None and (text is None or text[0] == "or" or len(rows) < offset + limit):
        found = {row.service_id for row in rows}
        need_rows = backend.ranked(search.filtered(need), text_lang, window, window=window, restrict=restrict)
        rows += [row for row in need_rows if row.service_id not in found]
    hits = _scored(rows, search, filters, text is not None)
    hits = _fitted(hits, filters, now, {row.service_id: row.name for row in rows}, within)
    results = SearchResults(
        hits=_only_active(hits[offset : offset + limit]),
        # Exact when every match's hours were read; beyond that, the matches before the check.
        total=len(hits) if filters.open_now and total <= OPEN_NOW_WINDOW else total,
        needs=needs,
        corrections=expanded.corrections,
        unknown=expanded.unknown,
        total_capped=total >= COUNT_CAP,
    )
    if counts:
        results.counts = _facet_counts(("or", union) if len(union) > 1 else union[0], search)
    return results


def service_ids_for_api(
    text: str, lang: str, params: Mapping[str, str | Sequence[str]], offset: int, limit: int
) -> tuple[list[uuid.UUID], int]:
    """The HSDS API's search (registered in lape.directory.searching): ids best first, and the total."""
    results = find_services(text, lang, parse_filters(params, strict=False), offset=offset, limit=limit)
    return [hit.service_id for hit in results.hits], results.total


def _text_rows(search: _Search, text: Expr, total: int, window: int) -> list[Row]:
    """The index's best text matches; past COUNT_CAP matches, those matching in the name first."""
    backend = backend_for(connection)
    # Whole words weighted by their rarity ("stödfamilj", not its common parts "stöd" and "familj").
    wholes = search.expanded.strict
    boosts: list[tuple[Expr, float]] = [
        (("or", list(whole)), weight)
        for whole, weight in zip(wholes, rarity(wholes, search.lang), strict=True)
    ]

    def best(expr: Expr) -> list[Row]:
        return backend.ranked(
            search.filtered(expr),
            search.lang,
            window,
            window=RANK_WINDOW,
            restrict=search.restrict,
            boosts=boosts,
        )

    if total < COUNT_CAP:
        # Every match is within the window (COUNT_CAP <= RANK_WINDOW): the ranking is exact, and the
        # index scores only the matches that pass the filters.
        return best(text)
    rows = best(("name", [text]))
    if len(rows) < window:
        found = {row.service_id for row in rows}
        rows += [row for row in best(text) if row.service_id not in found]
    return rows


def _scored(rows: list[Row], search: _Search, filters: Filters, has_text: bool) -> list[Hit]:
    """Score the candidates: words found, whole words and rare words, the need, a local place."""
    groups, strict = search.expanded.groups, search.expanded.strict
    weights = rarity(groups, search.lang) if groups else []
    words_asked = len(groups) + len(search.expanded.unknown)
    best_db = max((row.score for row in rows[:CANDIDATES]), default=0.0) if has_text else 0.0
    text_scores: dict[uuid.UUID, tuple[float, float]] = {}
    # Each word's terms padded with spaces, looked for in the fields' space-separated terms: C-speed
    # substring tests instead of splitting every candidate's text into sets.
    padded = [
        ([f" {term} " for term in whole], [f" {term} " for term in group if term not in whole], weight)
        for group, whole, weight in zip(groups, strict, weights, strict=True)
    ]
    for row in rows[:CANDIDATES]:
        fields = (f" {row.name} ", f" {row.body} ", f" {row.context} ")
        found = 0.0
        mine = 0.0
        for whole_terms, part_terms, weight in padded:
            best = 0.0
            for text, field_weight in zip(fields, FIELD_WEIGHTS, strict=True):
                if field_weight <= best:
                    break  # the weights fall field by field: nothing further can do better
                if any(term in text for term in whole_terms):
                    best = field_weight
                elif field_weight * PART_ONLY > best and any(term in text for term in part_terms):
                    best = field_weight * PART_ONLY
            # A word only in the organisation's name or the taxonomy (context) counts as partly found.
            found += min(1.0, best / FIELD_WEIGHTS[1])
            mine += weight * best
        text_scores[row.service_id] = (found / words_asked if words_asked else 0.0, mine)
    best_mine = max((mine for _found, mine in text_scores.values()), default=0.0)
    need_terms = [
        [f" {facets.service_class(code)} " for code in need.service_classes] for need in search.needs
    ]
    local = f" {facets.place_in(filters.municipality)} " if filters.municipality else None
    hits = []
    for row in rows:
        score = 0.0
        if row.service_id in text_scores and text_scores[row.service_id][0] > 0:
            coverage, mine = text_scores[row.service_id]
            db = row.score / best_db if best_db > 0 else 0.0
            relevance = (db + (mine / best_mine if best_mine > 0 else 0.0)) / 2
            score = COVERAGE * coverage + RELEVANCE * relevance
        row_facets = f" {row.facets} "  # space-separated facet terms, looked for as " term "
        # Each recognised need the service serves lifts it: the best one fully, each further one by
        # NEED_MORE, so a service for "teenager" and "drinking" comes before one for "teenager" alone.
        lifts = []
        for rank, terms in enumerate(need_terms):
            for place, term in enumerate(terms):
                if term in row_facets:
                    weight = NEED_FIRST if rank == 0 else NEED_OTHER
                    lifts.append(weight * (1 - NEED_CLASS_STEP * place))
                    break
        lifts.sort(reverse=True)
        score += (lifts[0] + NEED_MORE * len(lifts[1:])) if lifts else 0.0
        if local is not None and local in row_facets:
            score += FIT_LOCAL
        hits.append(Hit(row.service_id, score))
    return hits


def _fitted(
    hits: list[Hit],
    filters: Filters,
    now: dt.datetime,
    sort_names: dict[uuid.UUID, str],
    within: dict[uuid.UUID, float] | None,
) -> list[Hit]:
    """Distances and "open now" added, then best first (ties by the indexed name: pages are stable).

    `within`: the distances the radius filter already measured, if it did.
    """
    ids = [hit.service_id for hit in hits]
    if filters.near is not None and ids:
        distances = within if within is not None else _distances(ids, filters.near)
        reach = filters.radius_km or 100.0
        for hit in hits:
            hit.distance_km = distances.get(hit.service_id)
            if hit.distance_km is not None:
                hit.score += FIT_DISTANCE * max(0.0, 1.0 - hit.distance_km / reach)
    if filters.open_now:
        open_ids = services_open_at(ids[:OPEN_NOW_WINDOW], now)
        hits = [hit for hit in hits if hit.service_id in open_ids]
        for hit in hits:
            hit.open_now = True
    hits.sort(key=lambda hit: (-round(hit.score, 6), sort_names.get(hit.service_id, ""), hit.service_id))
    return hits


def _only_active(hits: list[Hit]) -> list[Hit]:
    """The hits whose services are active: the index holds only those, and this guards a page against
    a bulk update that bypassed the signals (`QuerySet.update`)."""
    active = set(
        Service.objects.filter(
            pk__in=[hit.service_id for hit in hits], status=Service.Status.ACTIVE
        ).values_list("pk", flat=True)
    )
    return [hit for hit in hits if hit.service_id in active]


def _distances(service_ids: list[uuid.UUID], place: Place) -> dict[uuid.UUID, float]:
    """Kilometres from the point to each service's nearest place (great circle)."""
    rows = ServiceAtLocation.objects.filter(service_id__in=service_ids).values_list(
        "service_id", "location__latitude", "location__longitude"
    )
    return _nearest(rows, place)


def _nearest(
    places: Iterable[tuple[uuid.UUID, float | None, float | None]], place: Place
) -> dict[uuid.UUID, float]:
    """Each service's nearest place's distance from the point, from (service, latitude, longitude) rows."""
    nearest: dict[uuid.UUID, float] = {}
    for service_id, lat, lon in places:
        if lat is None or lon is None:
            continue
        km = haversine_km(place.latitude, place.longitude, lat, lon)
        if service_id not in nearest or km < nearest[service_id]:
            nearest[service_id] = km
    return nearest


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _browse(
    lang: str,
    clauses: list[Expr],
    restrict: Restriction | None,
    filters: Filters,
    offset: int,
    limit: int,
    now: dt.datetime,
    counts: bool,
    within: dict[uuid.UUID, float] | None,
) -> SearchResults:
    """The services that fit (at most COUNT_CAP of them), nearest first when a place is given, else by name."""
    backend = backend_for(connection)
    expr: Expr = ("and", [facets.ALL, *clauses])
    total = backend.count(expr, lang, COUNT_CAP, restrict=restrict)
    rows = backend.ranked(expr, lang, COUNT_CAP, window=COUNT_CAP, restrict=restrict)
    hits = [Hit(row.service_id, 0.0) for row in rows]
    if filters.near is not None:
        distances = (
            within if within is not None else _distances([hit.service_id for hit in hits], filters.near)
        )
        for hit in hits:
            hit.distance_km = distances.get(hit.service_id)
    if filters.open_now:
        open_ids = services_open_at([hit.service_id for hit in hits][:OPEN_NOW_WINDOW], now)
        hits = [hit for hit in hits if hit.service_id in open_ids]
        for hit in hits:
            hit.open_now = True
        total = len(hits) if total <= OPEN_NOW_WINDOW else total
    # Browsing lists by the name a family reads (and only active services, as the index should hold).
    active = Service.objects.filter(pk__in=[hit.service_id for hit in hits], status=Service.Status.ACTIVE)
    names = dict(active.values_list("pk", "name"))
    hits = [hit for hit in hits if hit.service_id in names]
    far = float("inf")
    hits.sort(
        key=lambda hit: (
            hit.distance_km if hit.distance_km is not None else far,
            names[hit.service_id],
            hit.service_id,
        )
    )
    results = SearchResults(hits=hits[offset : offset + limit], total=total, total_capped=total >= COUNT_CAP)
    if counts:
        search = _Search(lang, clauses, restrict, Expanded(), [])
        results.counts = _facet_counts(facets.ALL, search)
    return results


def _facet_counts(matches: Expr, search: _Search) -> dict[str, dict[str, int]]:
    """How many of the matches have each level, language, and are low-threshold or free."""
    backend = backend_for(connection)

    def count(term: str) -> int:
        return backend.count(
            ("and", [matches, term, *search.clauses]), search.lang, COUNT_CAP, restrict=search.restrict
        )

    return {
        "level": {value: n for value in facets.LEVEL_LETTERS if (n := count(facets.level(value)))},
        "language": {code: n for code in LANGUAGES if (n := count(facets.language(code)))},
        "low_threshold": {"true": count(facets.low_threshold())},
        "free": {"true": count(facets.free())},
    }
