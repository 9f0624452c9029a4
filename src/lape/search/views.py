"""The family's pages: a start page by life situation, and the search page with its filters.

Both are plain GET pages that work without JavaScript. With htmx the search form swaps the search
region in place and pushes the URL, so every search stays a shareable, printable address that
carries the query and every filter (the parameter names are the HSDS API's: see query.parse_filters).
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from lape.areas.models import Municipality, WellbeingCounty
from lape.directory.languages import language_name
from lape.directory.models import FamilyCentre, Language, Service
from lape.directory.opening_hours import service_is_open

from .needs import LIFE_SITUATIONS, needs_in
from .query import FilterError, Hit, SearchResults, find_services, parse_filters

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 results: past that, a family refines rather than pages
MAX_QUERY_CHARS = 1000
NEEDS_ON_START_PAGE = 4
SUMMARY_WORDS = 30
RADII_KM = (1, 2, 5, 10, 25, 50, 100)
SINGLE_PARAMS = ("municipality", "county", "postcode", "radius_km", "lat", "lon", "situation")
FLAG_PARAMS = ("low_threshold", "free", "open_now")
REPEATED_PARAMS = ("age", "language", "level")
FILTER_PARAMS = (*SINGLE_PARAMS, *FLAG_PARAMS, *REPEATED_PARAMS)
SITUATION_NAMES: dict[str, Promise] = {
    "expecting": gettext_lazy("Expecting a baby"),
    "baby": gettext_lazy("A baby in the family"),
    "under-school-age": gettext_lazy("A child under school age"),
    "school-age": gettext_lazy("A school-age child"),
    "teenager": gettext_lazy("A teenager"),
    "separation": gettext_lazy("Separation or divorce"),
    "moving-to-finland": gettext_lazy("Moving to Finland"),
    "worried-about-child": gettext_lazy("Worried about a child"),
    "peer-support": gettext_lazy("Looking for peer support"),
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
AGE_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass
class Situation:
    key: str
    name: str
    phrases: list[str]  # a few of its needs, in the page's language


@dataclass
class Row:
    """One result as the page shows it."""

    service: Service
    hit: Hit
    open_now: bool
    summary: str  # the description's first words, in the page's language
    languages: list[str]


@dataclass
class Choice:
    """An option of a filter: its value, its name, how many results have it, and whether it is chosen."""

    value: str
    name: str
    count: int | None
    chosen: bool


@dataclass
class Link:
    label: str
    url: str


def _lang() -> str:
    return (get_language() or "fi")[:2]


def start(request: HttpRequest) -> HttpResponse:
    """The start page: a search box, the nine life situations with a few of their needs, the family centres."""
    lang = _lang()
    situations = [
        Situation(
            key, str(SITUATION_NAMES[key]), [n.label(lang) for n in needs_in(key)[:NEEDS_ON_START_PAGE]]
        )
        for key in LIFE_SITUATIONS
    ]
    centres = FamilyCentre.objects.prefetch_related("municipalities")[:50]
    return render(request, "search/start.html", {"situations": situations, "family_centres": centres})


def search(request: HttpRequest) -> HttpResponse:
    """The search page: results for the query and filters, counts by filter value, help when nothing fits."""
    lang = _lang()
    query = CONTROL.sub("", request.GET.get("q", ""))[:MAX_QUERY_CHARS].strip()
    params = _filter_params(request.GET)
    page = _page_number(request.GET.get("page"))
    context: dict[str, object] = {"query": query, "values": params, "lang": lang}
    status = 200
    results: SearchResults | None = None
    try:
        filters = parse_filters(params)
        results = find_services(
            query, lang, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE, counts=True
        )
    except FilterError as error:
        context["error"] = str(error)
        context["error_field"] = error.field
        # htmx swaps only 2xx answers: the message must reach a family with JavaScript too.
        status = 200 if request.headers.get("HX-Request") else 400
    context.update(_form_choices(params, results, lang))
    context["active"] = _active_filters(request.GET, params, lang)
    if results is not None:
        context.update(_results_context(request.GET, query, results, page, lang))
        if results.total == 0:
            context["help"] = _no_results_help(request.GET, params, lang)
    # The address without the form's empty fields: what htmx pushes and the language switch keeps.
    page_path = (request.path + _url(request.GET, keep_page=True)).rstrip("?")
    context["page_path"] = page_path
    response = render(request, "search/search.html", context, status=status)
    if request.headers.get("HX-Request"):
        response["HX-Push-Url"] = page_path
    return response


def _filter_params(get: QueryDict) -> dict[str, str | list[str]]:
    """The filter parameters that have a value; ages may come as "0, 12" in one field or repeated."""
    params: dict[str, str | list[str]] = {}
    for name in (*SINGLE_PARAMS, *FLAG_PARAMS):
        value = CONTROL.sub("", get.get(name, "")).strip()
        if value:
            params[name] = value
    for name in REPEATED_PARAMS:
        values = [CONTROL.sub("", v).strip() for v in get.getlist(name)]
        if name == "age":
            values = [part for v in values for part in AGE_SEPARATORS.split(v)]
        values = [v for v in values if v]
        if values:
            params[name] = values
    return params


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or "1"), 1), MAX_PAGE)
    except ValueError:
        return 1


def _url(
    get: QueryDict, drop: tuple[str, str | None] | None = None, keep_page: bool = False, **changes: str
) -> str:
    """The search page's query string with one parameter (or one of its values) dropped and others set."""
    params = get.copy()
    if not keep_page:
        params.pop("page", None)
    if drop is not None:
        name, value = drop
        kept = [] if value is None else [v for v in params.getlist(name) if v != value]
        if name == "age" and value is not None:  # ages may have come as one "0, 12" field
            kept = [a for v in params.getlist(name) for a in AGE_SEPARATORS.split(v) if a and a != value]
        params.setlist(name, kept)
    for name, value in changes.items():
        params[name] = value
    encoded = QueryDict(mutable=True)
    for name, values in params.lists():
        kept_values = [v for v in values if v.strip()]
        if kept_values:
            encoded.setlist(name, kept_values)
    return "?" + encoded.urlencode() if encoded else "?"


def _directory_language_name(code: str) -> str:
    """The name the directory gives a language code Django does not know (one query)."""
    return Language.objects.filter(code=code).exclude(name="").values_list("name", flat=True).first() or ""


def _form_choices(
    params: dict[str, str | list[str]], results: SearchResults | None, lang: str
) -> dict[str, object]:
    counts = results.counts if results is not None else {}
    chosen_levels = params.get("level", [])
    chosen_languages = params.get("language", [])
    levels = [
        Choice(value, str(label), counts.get("level", {}).get(value), value in chosen_levels)
        for value, label in Service.Level.choices
    ]
    # The directory's own names for the codes, in the same query: none a code.
    given: dict[str, str] = dict.fromkeys(("fi", "sv", "en", *counts.get("language", {})), "")
    for code, name in (
        Language.objects.filter(service__status=Service.Status.ACTIVE).values_list("code", "name").distinct()
    ):
        given[code] = given.get(code) or name
    languages = sorted(
        (
            Choice(
                code,
                language_name(code, given[code]),
                counts.get("language", {}).get(code),
                code in chosen_languages,
            )
            for code in given
            if code and len(code) <= 20
        ),
        key=lambda c: (c.value not in ("fi", "sv", "en"), c.name.lower()),
    )
    municipalities = sorted(Municipality.objects.all(), key=lambda m: m.name(lang).lower())
    counties = sorted(WellbeingCounty.objects.all(), key=lambda c: c.name(lang).lower())
    flags = {name: counts.get(name, {}).get("true") for name in ("low_threshold", "free")}
    return {
        "levels": levels,
        "languages": languages,
        "municipalities": [(m.code, m.name(lang)) for m in municipalities],
        "counties": [(c.code, c.name(lang)) for c in counties],
        "flag_counts": flags,
        "radii": RADII_KM,
        "situation_names": {key: str(name) for key, name in SITUATION_NAMES.items()},
        "ages_text": ", ".join(params.get("age", [])),
    }


def _active_filters(get: QueryDict, params: dict[str, str | list[str]], lang: str) -> list[Link]:
    """One link per active filter value that drops it: the way to loosen a search."""
    names: dict[str, str] = {}
    if isinstance(params.get("municipality"), str):
        found = Municipality.objects.filter(code=params["municipality"]).first()
        names["municipality"] = found.name(lang) if found else str(params["municipality"])
    if isinstance(params.get("county"), str):
        county = WellbeingCounty.objects.filter(code=params["county"]).first()
        names["county"] = county.name(lang) if county else str(params["county"])
    labels = {
        "municipality": lambda v: _("Municipality: %(name)s") % {"name": names.get("municipality", v)},
        "county": lambda v: _("Wellbeing-services county: %(name)s") % {"name": names.get("county", v)},
        "postcode": lambda v: _("Postcode: %(code)s") % {"code": v},
        "radius_km": lambda v: _("Within %(km)s km") % {"km": v},
        "lat": lambda v: _("Latitude: %(value)s") % {"value": v},
        "lon": lambda v: _("Longitude: %(value)s") % {"value": v},
        "situation": lambda v: _("Life situation: %(name)s") % {"name": SITUATION_NAMES.get(v, v)},
        "low_threshold": lambda v: _("Low-threshold only"),
        "free": lambda v: _("Free only"),
        "open_now": lambda v: _("Open now"),
        "age": lambda v: _("Child's age: %(age)s") % {"age": v},
        "language": lambda v: (
            _("Language: %(name)s") % {"name": language_name(v, _directory_language_name(v))}
        ),
        "level": lambda v: _("Service level: %(name)s") % {"name": dict(Service.Level.choices).get(v, v)},
    }
    links = []
    for name in FILTER_PARAMS:
        value = params.get(name)
        for single in value if isinstance(value, list) else [value] if value else []:
            drop = (name, single) if name in REPEATED_PARAMS else (name, None)
            links.append(Link(labels[name](single), _url(get, drop=drop)))
    return links


def _results_context(
    get: QueryDict, query: str, results: SearchResults, page: int, lang: str
) -> dict[str, object]:
    ids = [hit.service_id for hit in results.hits]
    services: dict[uuid.UUID, Service] = (
        Service.objects.select_related("organization")
        .prefetch_related(
            "languages",
            "schedules",
            "service_at_locations__schedules",
            "service_at_locations__location__schedules",
        )
        .in_bulk(ids)
    )
    now = timezone.now()
    rows = []
    for hit in results.hits:
        service = services.get(hit.service_id)
        if service is None:
            continue
        rows.append(
            Row(
                service,
                hit,
                hit.open_now if hit.open_now is not None else service_is_open(service, now),
                Truncator(service.text("description", lang)).words(SUMMARY_WORDS),
                [
                    language_name(language.code, language.name)
                    for language in service.languages.all()
                    if language.code
                ],
            )
        )
    pages = min(math.ceil(results.total / PAGE_SIZE), MAX_PAGE)
    return {
        "results": results,
        "rows": rows,
        "need_labels": [need.label(lang) for need in results.needs],
        "corrected_query": _corrected(query, results.corrections),
        "page": page,
        "pages": pages,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "previous_url": _url(get, page=str(page - 1)) if page > 1 else None,
        "next_url": _url(get, page=str(page + 1)) if page < pages else None,
    }


def _corrected(query: str, corrections: dict[str, str]) -> str:
    """The query as searched, with each misspelt word replaced; empty when nothing was corrected."""
    if not corrections:
        return ""
    lowered = {word.lower(): fixed for word, fixed in corrections.items()}
    fixed = re.sub(r"\w+", lambda m: lowered.get(m.group(0).lower(), m.group(0)), query)
    return fixed if fixed != query else " ".join(corrections.values())


def _no_results_help(get: QueryDict, params: dict[str, str | list[str]], lang: str) -> dict[str, object]:
    """Where to go when nothing fits: a wider area, no distance limit, and the family centre to call."""
    nearby: list[Link] = []
    code = params.get("municipality")
    municipality = (
        Municipality.objects.select_related("wellbeing_county").filter(code=code).first()
        if isinstance(code, str)
        else None
    )
    if municipality is not None and municipality.wellbeing_county is not None:
        county = municipality.wellbeing_county
        nearby.append(
            Link(
                _("Services anywhere in %(county)s") % {"county": county.name(lang)},
                _url(get, drop=("municipality", None), county=county.code),
            )
        )
    if "radius_km" in params:
        nearby.append(Link(_("Services at any distance"), _url(get, drop=("radius_km", None))))
    centres = FamilyCentre.objects.none()
    if municipality is not None:
        centres = FamilyCentre.objects.filter(municipalities=municipality)
    elif isinstance(params.get("county"), str):
        centres = FamilyCentre.objects.filter(Q(municipalities__wellbeing_county__code=params["county"]))
    return {"nearby": nearby, "centres": list(centres.distinct()[:5])}
