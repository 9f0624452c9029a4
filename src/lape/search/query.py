"""Finding services: a family's words and filters in, the best-fitting active services out.

`find_services(query, lang, filters)` is the one search that the HSDS API and the family's pages call.

1. **Filters** (lape.search.filters) become one SQL query of the services that may be shown (active,
   serving the municipality or county, fitting a child's age, in the language, of the level, free,
   low-threshold, within the distance, for the life situation). Full-text matching is restricted to
   it inside the database, so a filter never hides a match behind a cut-off.
2. **Text**: the query's words are analysed, corrected and expanded with synonyms
   (lape.search.expansion) and matched in the index of the page's language, or of another language
   when that one knows more of the words (English words on the Finnish page, a Finnish service name on
   the English page). Services that match every word are the text matches; when none does, those
   matching some words are.
3. **Needs**: the need vocabulary (lape.search.needs) recognises a family's situation in the query
   ("vauva ei nuku öisin") and adds the services of the PTV service classes that serve it.
4. **Ranking**: text relevance first (every word matched, then the database's relevance score,
   normalised), plus the need match, then the filters' fit: nearer places, a place in the chosen
   municipality. Open now is checked in Python against the opening hours (Finnish time, exceptions
   respected) over the best `OPEN_NOW_WINDOW` matches.

An empty query with filters lists every service that fits (browsing), nearest or by name.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from lape.directory.models import Attribute, Language, Service, ServiceArea, ServiceAtLocation
from lape.directory.opening_hours import service_is_open
from lape.search.analysis import LANGUAGES
from lape.search.backends import backend_for
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
    "services_fitting",
]

CANDIDATES = 200  # text matches ranked in Python at most (beyond the page asked for)
OPEN_NOW_WINDOW = 1000
MAX_NEEDS = 3
KM_PER_DEGREE = 111.195
# Score parts: every word matched lifts a service above partial matches; a recognised need adds
# about as much as a good text match; the filters' fit only orders near-equals.
ALL_WORDS = 0.5
TEXT = 0.5
PARTIAL_TEXT = 0.45
NEED_FIRST = 0.6
NEED_OTHER = 0.4
FIT_DISTANCE = 0.1
FIT_LOCAL = 0.05
OTHER_LANGUAGE = 0.8  # a match in another language's text counts a little less


@dataclass
class Hit:
    """One service found, with its score and, when asked for, distance and whether it is open now."""

    service_id: uuid.UUID
    score: float
    distance_km: float | None = None
    open_now: bool | None = None


@dataclass
class SearchResults:
    """A page of hits with the total, the needs recognised and the words corrected or not known."""

    hits: list[Hit]
    total: int
    needs: list[Need] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _class_q(classes: Iterable[str], prefix: str = "taxonomy_term__code") -> Q:
    """Terms of these PTV service classes or their subclasses ("P5" covers "P5.2")."""
    q = Q()
    for code in classes:
        q |= Q(**{prefix: code}) | Q(**{f"{prefix}__startswith": f"{code}."})
    return q


def _in_classes(classes: Iterable[str]) -> Exists:
    """The service has a taxonomy term of one of these classes."""
    return Exists(
        Attribute.objects.filter(link_entity="service", link_id=OuterRef("pk")).filter(_class_q(classes))
    )


def _squared_distance(place: Place, latitude: str, longitude: str) -> ExpressionWrapper:
    """Squared distance in degrees of latitude (equirectangular: accurate to well under 1 % in Finland)."""
    scale = math.cos(math.radians(place.latitude))
    dx = (F(longitude) - place.longitude) * scale
    dy = F(latitude) - place.latitude
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def services_fitting(filters: Filters) -> QuerySet[Service]:
    """The active services the filters allow (open now aside, which needs the opening hours)."""
    services = Service.objects.filter(status=Service.Status.ACTIVE)
    if filters.nowhere:
        return services.none()
    area = ServiceArea.objects.filter(
        Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk"))
    )
    if filters.municipality:
        # The service area says where a service serves; a service without one serves where its places are.
        places = ServiceAtLocation.objects.filter(
            service=OuterRef("pk"), location__municipality__code=filters.municipality
        )
        services = services.filter(
            Exists(area.filter(municipality__code=filters.municipality)) | (~Exists(area) & Exists(places))
        )
    if filters.county:
        places = ServiceAtLocation.objects.filter(
            service=OuterRef("pk"), location__municipality__wellbeing_county__code=filters.county
        )
        services = services.filter(
            Exists(area.filter(municipality__wellbeing_county__code=filters.county))
            | (~Exists(area) & Exists(places))
        )
    if filters.ages:
        fits = Q()
        for age in filters.ages:
            fits |= (Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)) & (
                Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
            )
        services = services.filter(fits)
    if filters.languages:
        services = services.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code__in=filters.languages))
        )
    if filters.levels:
        services = services.filter(service_level__in=filters.levels)
    if filters.low_threshold:
        services = services.filter(low_threshold=True)
    if filters.free:
        services = services.filter(free_of_charge=True)
    if filters.situation:
        classes = {code for need in needs_in(filters.situation) for code in need.service_classes}
        services = services.filter(_in_classes(classes))
    if filters.near is not None and filters.radius_km is not None:
        limit = (filters.radius_km / KM_PER_DEGREE) ** 2
        near = ServiceAtLocation.objects.filter(
            service=OuterRef("pk"), location__latitude__isnull=False, location__longitude__isnull=False
        ).alias(d2=_squared_distance(filters.near, "location__latitude", "location__longitude"))
        services = services.filter(Exists(near.filter(d2__lte=limit)))
    return services


def _sql(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


@dataclass
class _Text:
    """The text matches of one language: the best candidates with scores, and the SQL of all."""

    lang: str
    scores: dict[uuid.UUID, float]
    all_words: bool
    sql: str
    params: list[Any]


def rarity(groups: list[tuple[str, ...]], lang: str) -> list[float]:
    """Each word's weight by how few services have it (an inverse document frequency, 0-1)."""
    vocabulary, _index = index_vocabulary(lang)
    most = max(vocabulary.values(), default=1)
    weights = []
    for group in groups:
        count = max((vocabulary.get(term, 0) for term in group), default=0)
        weights.append(math.log(1 + most / (count + 1)) / math.log(1 + most))
    return weights


def _text_matches(expanded: Expanded, lang: str, allowed: tuple[str, list[Any]], window: int) -> _Text | None:
    """The services matching every word (else some words) of the query, restricted to `allowed`.

    The candidates' relevance is the mean of two normalised scores: matching the words with their
    compound parts, and matching the whole words only (when they differ), so that "stödfamilj" ranks
    a text about a stödfamilj above one that only says "stöd" and "familj".
    """
    backend = backend_for(connection)
    groups = expanded.groups
    allowed_sql, allowed_params = allowed
    weights = rarity(groups, lang)
    for require_all in (True, False) if len(groups) > 1 else (True,):
        match_sql, match_params = backend.match_sql(groups, lang, require_all, weights)
        sql = f"SELECT m.service_id, m.score FROM ({match_sql}) m WHERE m.service_id IN ({allowed_sql})"  # noqa: S608
        params = [*match_params, *allowed_params]
        rows = _fetch(f"{sql} ORDER BY m.score DESC, m.service_id LIMIT %s", [*params, window])
        if rows:
            scores = _normalised({backend.to_uuid(service_id): float(score) for service_id, score in rows})
            if expanded.strict != groups:
                strict_sql, strict_params = backend.match_sql(
                    expanded.strict, lang, False, rarity(expanded.strict, lang)
                )
                marks = ", ".join(["%s"] * len(rows))
                strict_rows = _fetch(
                    f"SELECT m.service_id, m.score FROM ({strict_sql}) m WHERE m.service_id IN ({marks})",  # noqa: S608
                    [*strict_params, *(service_id for service_id, _score in rows)],
                )
                strict = _normalised({backend.to_uuid(pk): float(score) for pk, score in strict_rows})
                scores = {pk: (score + strict.get(pk, 0.0)) / 2 for pk, score in scores.items()}
            return _Text(lang, scores, require_all, sql, params)
    return None


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _normalised(scores: dict[uuid.UUID, float]) -> dict[uuid.UUID, float]:
    """Scores divided by the best (0-1), so the two databases' scales and the parts can be added."""
    best = max(scores.values(), default=0.0)
    if best <= 0:
        return dict.fromkeys(scores, 0.0)
    return {pk: max(score, 0.0) / best for pk, score in scores.items()}


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
    window = max(CANDIDATES, offset + limit)
    if filters.open_now:
        window = max(window, OPEN_NOW_WINDOW)
    if filters.nowhere:
        return SearchResults(hits=[], total=0)
    allowed_qs = services_fitting(filters)
    allowed = _sql(allowed_qs.values("pk"))

    if not query:
        return _browse(allowed_qs, filters, offset, limit, now, counts)

    needs = needs_for(query, lang)[:MAX_NEEDS]
    text_lang = query_language(query, lang, LANGUAGES)
    expanded = expand_query(query, text_lang)
    text = _text_matches(expanded, text_lang, allowed, window) if expanded.groups else None

    scores: dict[uuid.UUID, float] = defaultdict(float)
    if text is not None:
        language_weight = 1.0 if text.lang == lang else OTHER_LANGUAGE
        for service_id, relevance in text.scores.items():
            value = ALL_WORDS + TEXT * relevance if text.all_words else PARTIAL_TEXT * relevance
            scores[service_id] += value * language_weight
    need_sql: tuple[str, list[Any]] | None = None
    if needs:
        need_sql = _sql(
            allowed_qs.filter(_in_classes(c for n in needs for c in n.service_classes)).values("pk")
        )
        _add_need_scores(scores, needs, allowed_qs, window)

    total = _count(text, need_sql)
    hits = _ranked(scores, filters, now)
    if filters.open_now:
        total = len(hits) if total <= window else total  # beyond the window: an estimate, see module doc
    results = SearchResults(
        hits=hits[offset : offset + limit],
        total=total,
        needs=needs,
        corrections=expanded.corrections,
        unknown=expanded.unknown,
    )
    if counts:
        union = _union_sql(text, need_sql)
        # The union is our own SQL with the query's terms as parameters.
        matches = Service.objects.filter(pk__in=RawSQL(*union)) if union else None  # noqa: S611
        results.counts = _facet_counts(matches)
    return results


def service_ids_for_api(
    text: str, lang: str, params: Mapping[str, str | Sequence[str]], offset: int, limit: int
) -> tuple[list[uuid.UUID], int]:
    """The HSDS API's search (registered in lape.directory.searching): ids best first, and the total."""
    results = find_services(text, lang, parse_filters(params, strict=False), offset=offset, limit=limit)
    return [hit.service_id for hit in results.hits], results.total


def _add_need_scores(
    scores: dict[uuid.UUID, float], needs: Sequence[Need], allowed_qs: QuerySet[Service], window: int
) -> None:
    """Lift the services of each recognised need's classes: the best-matched need the most."""
    candidates = list(scores)
    lifted: dict[uuid.UUID, float] = {}
    for rank, need in enumerate(needs):
        weight = NEED_FIRST if rank == 0 else NEED_OTHER
        in_need = allowed_qs.filter(_in_classes(need.service_classes))
        ids = set(in_need.filter(pk__in=candidates).values_list("pk", flat=True)) if candidates else set()
        ids |= set(in_need.order_by("name", "pk").values_list("pk", flat=True)[:window])
        for service_id in ids:
            lifted[service_id] = max(lifted.get(service_id, 0.0), weight)
    for service_id, weight in lifted.items():
        scores[service_id] += weight


def _union_sql(text: _Text | None, need_sql: tuple[str, list[Any]] | None) -> tuple[str, list[Any]] | None:
    parts = []
    if text is not None:
        parts.append((f"SELECT t.service_id FROM ({text.sql}) t", text.params))  # noqa: S608
    if need_sql is not None:
        parts.append(need_sql)
    if not parts:
        return None
    return " UNION ".join(sql for sql, _params in parts), [p for _sql, params in parts for p in params]


def _count(text: _Text | None, need_sql: tuple[str, list[Any]] | None) -> int:
    union = _union_sql(text, need_sql)
    if union is None:
        return 0
    sql, params = union
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) u", params)  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _ranked(scores: dict[uuid.UUID, float], filters: Filters, now: dt.datetime) -> list[Hit]:
    """Hits by score with the filters' fit added; only those open now when asked."""
    hits = [Hit(service_id, score) for service_id, score in scores.items()]
    _add_fit(hits, filters)
    if filters.open_now:
        open_ids = _open_now([hit.service_id for hit in hits], now)
        hits = [hit for hit in hits if hit.service_id in open_ids]
        for hit in hits:
            hit.open_now = True
    names = dict(Service.objects.filter(pk__in=[hit.service_id for hit in hits]).values_list("pk", "name"))
    hits.sort(key=lambda hit: (-round(hit.score, 6), names.get(hit.service_id, ""), hit.service_id))
    return hits


def _add_fit(hits: list[Hit], filters: Filters) -> None:
    """Nearer places first (distance from the point), then services with a place in the municipality."""
    ids = [hit.service_id for hit in hits]
    if not ids:
        return
    if filters.near is not None:
        distances = _distances(ids, filters.near)
        reach = filters.radius_km or 100.0
        for hit in hits:
            hit.distance_km = distances.get(hit.service_id)
            if hit.distance_km is not None:
                hit.score += FIT_DISTANCE * max(0.0, 1.0 - hit.distance_km / reach)
    if filters.municipality:
        local = set(
            ServiceAtLocation.objects.filter(
                service_id__in=ids, location__municipality__code=filters.municipality
            ).values_list("service_id", flat=True)
        )
        for hit in hits:
            if hit.service_id in local:
                hit.score += FIT_LOCAL


def _distances(service_ids: list[uuid.UUID], place: Place) -> dict[uuid.UUID, float]:
    """Kilometres from the point to each service's nearest place (great circle)."""
    rows = ServiceAtLocation.objects.filter(
        service_id__in=service_ids, location__latitude__isnull=False, location__longitude__isnull=False
    ).values_list("service_id", "location__latitude", "location__longitude")
    nearest: dict[uuid.UUID, float] = {}
    for service_id, lat, lon in rows:
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


def _open_now(service_ids: list[uuid.UUID], now: dt.datetime) -> set[uuid.UUID]:
    services = Service.objects.filter(pk__in=service_ids).prefetch_related(
        "schedules", "service_at_locations__schedules", "service_at_locations__location__schedules"
    )
    return {service.pk for service in services if service_is_open(service, now)}


def _browse(
    allowed_qs: QuerySet[Service],
    filters: Filters,
    offset: int,
    limit: int,
    now: dt.datetime,
    counts: bool,
) -> SearchResults:
    """Every service that fits, nearest first when a place is given, else by name."""
    ordered = allowed_qs
    if filters.near is not None:
        nearest = (
            ServiceAtLocation.objects.filter(
                service=OuterRef("pk"), location__latitude__isnull=False, location__longitude__isnull=False
            )
            .annotate(d2=_squared_distance(filters.near, "location__latitude", "location__longitude"))
            .order_by("d2")
            .values("d2")[:1]
        )
        ordered = ordered.annotate(d2=Subquery(nearest, output_field=FloatField())).order_by(
            F("d2").asc(nulls_last=True), "name", "pk"
        )
    else:
        ordered = ordered.order_by("name", "pk")
    if filters.open_now:
        window = list(ordered.values_list("pk", flat=True)[: max(OPEN_NOW_WINDOW, offset + limit)])
        open_ids = _open_now(window, now)
        ids = [pk for pk in window if pk in open_ids]
        total = len(ids)
        page = ids[offset : offset + limit]
    else:
        total = ordered.count()
        page = list(ordered.values_list("pk", flat=True)[offset : offset + limit])
    hits = [Hit(pk, 0.0, open_now=True if filters.open_now else None) for pk in page]
    if filters.near is not None:
        distances = _distances(page, filters.near)
        for hit in hits:
            hit.distance_km = distances.get(hit.service_id)
    results = SearchResults(hits=hits, total=total)
    if counts:
        results.counts = _facet_counts(allowed_qs)
    return results


def _facet_counts(matches: QuerySet[Service] | None) -> dict[str, dict[str, int]]:
    """How many of the matches have each level, language, and are low-threshold or free."""
    if matches is None:
        return {}
    levels = dict(matches.order_by().values_list("service_level").annotate(n=Count("pk")))
    languages = dict(
        Language.objects.filter(service__in=matches.values("pk"))
        .order_by()
        .values_list("code")
        .annotate(n=Count("service", distinct=True))
    )
    counted = {
        "level": {str(level): n for level, n in levels.items() if level},
        "language": {str(code): n for code, n in languages.items() if code},
        "low_threshold": {"true": matches.filter(low_threshold=True).count()},
        "free": {"true": matches.filter(free_of_charge=True).count()},
    }
    return counted
