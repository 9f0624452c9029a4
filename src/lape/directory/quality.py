"""Data quality of published services: what a publisher should fix so that families find the service.

Four problems are checked: text missing in Swedish or English, no opening hours, not verified in
the last 12 months, no service area. The checks that need other tables run in the database as
EXISTS subqueries, so a report over thousands of services is one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Schedule, Service, ServiceArea

VERIFICATION_MAX_AGE = dt.timedelta(days=365)
LANGUAGE_NAMES = {"sv": _("in Swedish"), "en": _("in English")}


class Problem:
    """The problems a service can have; the values are stable keys for URLs and filters."""

    MISSING_TRANSLATIONS = "missing_translations"
    NO_OPENING_HOURS = "no_opening_hours"
    NOT_VERIFIED = "not_verified"
    NO_SERVICE_AREA = "no_service_area"

    ALL: tuple[str, ...] = (MISSING_TRANSLATIONS, NO_OPENING_HOURS, NOT_VERIFIED, NO_SERVICE_AREA)
    LABELS: dict[str, Promise] = {
        MISSING_TRANSLATIONS: _("missing translations"),
        NO_OPENING_HOURS: _("no opening hours"),
        NOT_VERIFIED: _("not verified in 12 months"),
        NO_SERVICE_AREA: _("no service area"),
    }
    ADVICE: dict[str, Promise] = {
        MISSING_TRANSLATIONS: _("Write the Swedish and English text next to the Finnish text."),
        NO_OPENING_HOURS: _("Add opening hours to the service or to the place where it is given."),
        NOT_VERIFIED: _("Check that the information is correct and set the date it was last verified."),
        NO_SERVICE_AREA: _("Add the municipalities where the service is available."),
    }


@dataclass
class ServiceQuality:
    """One service and what is wrong with it (`missing` lists e.g. "sv:name")."""

    service: Service
    problems: list[str]
    missing: list[str] = field(default_factory=list)

    @property
    def problem_labels(self) -> list[str]:
        return [str(Problem.LABELS[p]) for p in self.problems]

    @property
    def missing_by_language(self) -> list[tuple[str, list[str]]]:
        """The missing texts for people: [("Swedish", ["name", "description"]), …]."""
        grouped: dict[str, list[str]] = {}
        for item in self.missing:
            lang, field_name = item.split(":", 1)
            label = str(getattr(Service._meta.get_field(field_name), "verbose_name", field_name))
            grouped.setdefault(lang, []).append(label)
        return [(str(LANGUAGE_NAMES.get(lang, lang)), labels) for lang, labels in grouped.items()]


@dataclass
class QualityReport:
    """Counts per problem over all services, and each service that has at least one problem."""

    total: int
    counts: dict[str, int]
    rows: list[ServiceQuality]

    def with_problem(self, problem: str | None) -> list[ServiceQuality]:
        """The rows that have `problem` (all rows with any problem when None)."""
        if not problem:
            return self.rows
        return [row for row in self.rows if problem in row.problems]


def with_quality_facts(services: QuerySet[Service]) -> QuerySet[Service]:
    """Annotate `has_opening_hours` and `has_service_area`, looked up through service-at-locations."""
    schedules = Schedule.objects.filter(
        Q(service=OuterRef("pk"))
        | Q(service_at_location__service=OuterRef("pk"))
        | Q(location__service_at_locations__service=OuterRef("pk"))
    )
    areas = ServiceArea.objects.filter(
        Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk"))
    )
    return services.annotate(has_opening_hours=Exists(schedules), has_service_area=Exists(areas))


def problems_of(service: Any, today: dt.date) -> ServiceQuality:
    """The problems of one service annotated by `with_quality_facts`."""
    problems = []
    missing = service.missing_translations()
    if missing:
        problems.append(Problem.MISSING_TRANSLATIONS)
    if not service.has_opening_hours:
        problems.append(Problem.NO_OPENING_HOURS)
    if service.assured_date is None or today - service.assured_date > VERIFICATION_MAX_AGE:
        problems.append(Problem.NOT_VERIFIED)
    if not service.has_service_area:
        problems.append(Problem.NO_SERVICE_AREA)
    return ServiceQuality(service=service, problems=problems, missing=missing)


def quality_report(
    services: QuerySet[Service] | Iterable[Service], today: dt.date | None = None
) -> QualityReport:
    """Check every service; `today` defaults to the current date in Finland."""
    if today is None:
        today = timezone.localdate()
    if isinstance(services, QuerySet):
        queryset = services
    else:
        queryset = Service.objects.filter(pk__in=[s.pk for s in services])
    queryset = with_quality_facts(queryset.select_related("organization"))
    counts = dict.fromkeys(Problem.ALL, 0)
    rows = []
    total = 0
    for service in queryset.iterator(chunk_size=2000):
        total += 1
        quality = problems_of(service, today)
        for problem in quality.problems:
            counts[problem] += 1
        if quality.problems:
            rows.append(quality)
    return QualityReport(total=total, counts=counts, rows=rows)
