"""Retention: client data whose period has passed is removed; the access log is kept.

The periods are years per information category (settings.LAPE_RETENTION_YEARS, from
`LAPE_RETENTION_YEARS`; their basis in docs/plans.md, "Retention"), counted from when a record
ended. Each app that holds client data registers what of it has expired (`register_purge`, in its
AppConfig.ready), as it registers its relations: access imports none of them. `purge()` removes
everything expired in one transaction, with one access-log row per record removed (a `write` by
the platform, on the basis of the storage-limitation principle), so that the family's access log
says what went and when; all of it, or on any error nothing. The log itself is never purged: it
is append-only (lape.access.appendonly) and outlives the records it names.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import log
from .decisions import Action, Basis, Decision, Target

logger = logging.getLogger(__name__)

# GDPR 2016/679, article 5(1)(e): kept no longer than necessary (the periods of the acts that apply).
RETENTION_LAW = "2016/679 5 art."


@dataclass(frozen=True)
class PlatformActor:
    """The platform itself as the access log names it, for what no person did (the retention purge)."""

    username: str = "lape:retention"
    user_id: None = None
    membership_id: None = None
    role: str = ""
    organization_id: None = None
    unit_id: None = None


RETENTION_ACTOR = PlatformActor()


@dataclass(frozen=True)
class Expired:
    """One kind of record whose period has passed: what it is, each record's target, and how to remove them.

    `key` goes to each removal's log row (`retention:<key>`); `description` is for the operator.
    """

    key: str
    description: str
    targets: list[Target]
    remove: Callable[[], object]


# A source is asked with the moment of the run; it reads only, `remove` deletes.
PurgeSource = Callable[[dt.datetime], list[Expired]]
_SOURCES: list[PurgeSource] = []


def register_purge(source: PurgeSource) -> None:
    """Add an app's expired records to the purge (once per app, in AppConfig.ready)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def retention_years(category: str) -> int:
    """The years a category's records are kept after they ended (settings.LAPE_RETENTION_YEARS)."""
    years: dict[str, int] = settings.LAPE_RETENTION_YEARS
    return years[category]


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same day and time `years` earlier (28 February for a 29th in a year without one)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def ended_before(category: str, now: dt.datetime) -> dt.datetime:
    """Records of the category that ended before this moment have passed their period at `now`."""
    return years_before(now, retention_years(category))


def expired(now: dt.datetime | None = None) -> list[Expired]:
    """Everything whose period has passed at `now` (default now), from every registered app."""
    now = now or timezone.now()
    return [batch for source in _SOURCES for batch in source(now)]


def purge(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[Expired]:
    """Remove everything expired, each record's removal logged, in one transaction; `dry_run`: only find it."""
    now = now or timezone.now()
    decision = Decision(allowed=True, basis=Basis.STATUTE, law=RETENTION_LAW)
    with transaction.atomic():
        batches = [batch for batch in expired(now) if batch.targets]
        if dry_run:
            return batches
        for batch in batches:
            for target in batch.targets:
                log.append(RETENTION_ACTOR, Action.WRITE, target, decision, reason=f"retention:{batch.key}")
            batch.remove()
    removed = sum(len(batch.targets) for batch in batches)
    logger.info("Retention purge removed %d records in %d batches.", removed, len(batches))
    return batches
