"""An entry in words, as the entry template (`plans/_entry.html`) shows it.

A plan page shows up to hundreds of entries, so each entry is put into words here, once, and the
template only lays them out: its meta line (who wrote it, whose register, which category, when), its
details as (label, value) pairs, and its paragraphs. The words of the choices (category, domain,
topic, the author's role) and the labels are looked up once per page (`Wording`): a model's
`get_FOO_display` translates every choice of the field on each call. Values are escaped here (text
keeps its line breaks as <br>; a paragraph is a whole escaped `<p>`), so the template prints them
as they are.

The goal an action or a note is tied to is shown in words only when the reader may read that goal
(it may be in another register, withheld from them); otherwise only that there is one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Container
from dataclasses import dataclass, field

from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from lape.access.categories import Category
from lape.accounts.models import Role

from .domains import WellbeingDomain
from .models import Entry, EntryKind, VoiceTopic

GOAL_WORDS = 80  # characters of a goal's words beside an action or a note tied to it


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


def _text(value: str) -> SafeString:
    """Text as written, escaped, its line breaks kept."""
    return linebreaksbr(value, autoescape=True)


def _day(value: dt.date | dt.datetime | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


@dataclass(frozen=True)
class EntryLines:
    """One entry as the template shows it: the entry and its words, escaped."""

    entry: Entry
    kind: str
    meta: str
    details: list[tuple[str, SafeString]] = field(default_factory=list)
    paragraphs: list[SafeString] = field(default_factory=list)


class Wording:
    """The words of the entries' choices and fields in the active language, for one page."""

    def __init__(self) -> None:
        self.kinds = _labels(EntryKind)
        self.categories = _labels(Category)
        self.domains = _labels(WellbeingDomain)
        self.topics = _labels(VoiceTopic)
        self.roles = _labels(Role)
        self.label = {
            "domain": _("Wellbeing domain"),
            "goal": _("The goal"),
            "child_words": _("In the child's own words"),
            "what": _("What is done"),
            "who": _("Who does it"),
            "by": _("By when"),
            "service": _("Service"),
            "method": _("Method"),
            "for_goal": _("For the goal"),
            "held_on": _("Held on"),
            "participants": _("Participants"),
            "decisions": _("Decisions"),
            "next_review": _("Next review"),
            "about_goal": _("About the goal"),
            "unreadable_goal": _("a goal you have no basis to read"),
            "other_goal": _("a goal of the plan (see the plan)"),
            "confidential": _(
                "Confidential from the guardians: the young person has forbidden telling them. The young person sees it."
            ),
            "agrees": _("Agrees with the goal."),
            "disagrees": _("Does not agree with the goal."),
        }

    def _goal(self, entry: Entry, readable_goals: Container[uuid.UUID] | None) -> str:
        """The words of the goal the entry is tied to, when the reader may read it; "" for none."""
        if entry.goal_id is None:
            return ""
        if readable_goals is None:  # a page of this entry alone: its goal is another entry, not read here
            return self.label["other_goal"]
        goal = entry.goal if entry.goal_id in readable_goals else None
        if goal is None:
            return self.label["unreadable_goal"]
        return Truncator(goal.text or goal.child_words).chars(GOAL_WORDS)

    def _meta(self, entry: Entry) -> str:
        parts = []
        membership = entry.author_membership
        if membership is not None:
            name = membership.user.get_full_name() or membership.user.get_username()
            parts.append(f"{name} – {self.roles.get(membership.role, membership.role)}")
        elif entry.author_person_id is not None:
            parts.append(str(entry.author_person))
        parts += [
            str(entry.owner_organization),
            self.categories.get(entry.category, entry.category),
            _day(timezone.localtime(entry.created_at)),
        ]
        return ", ".join(parts)

    def lines(self, entry: Entry, readable_goals: Container[uuid.UUID] | None) -> EntryLines:
        """The entry in words; its goal's words only when the goal's id is in `readable_goals`
        (None: a page of the entry alone, which names the goal without reading it)."""
        label = self.label
        details: list[tuple[str, str]] = []
        paragraphs: list[SafeString] = []
        goal = self._goal(entry, readable_goals)
        if entry.confidential:
            paragraphs.append(
                format_html('<p class="notice" data-testid="confidential">{}</p>', label["confidential"])
            )
        if entry.kind == EntryKind.GOAL:
            details.append((label["domain"], capfirst(self.domains.get(entry.domain, entry.domain))))
            if entry.text:
                details.append((label["goal"], _text(entry.text)))
            if entry.child_words:
                details.append((label["child_words"], _text(entry.child_words)))
        elif entry.kind == EntryKind.ACTION:
            responsible = ""
            if entry.responsible is not None:
                user = entry.responsible.membership.user
                responsible = user.get_full_name() or user.get_username()
            details += [
                (label["what"], _text(entry.text)),
                (label["who"], responsible),
                (label["by"], _day(entry.due_on)),
            ]
            if entry.service_id is not None:
                details.append((label["service"], str(entry.service)))
            if entry.method:
                details.append((label["method"], entry.method))
            if goal:
                details.append((label["for_goal"], goal))
        elif entry.kind == EntryKind.MEETING:
            details += [
                (label["held_on"], _day(entry.held_on)),
                (label["participants"], _text(entry.participants)),
                (label["decisions"], _text(entry.text)),
            ]
            if entry.next_review_on:
                details.append((label["next_review"], _day(entry.next_review_on)))
        else:
            if goal:
                paragraphs.append(format_html("<p>{}: {}</p>", label["about_goal"], goal))
            if entry.topic:
                topic = capfirst(self.topics.get(entry.topic, entry.topic))
                paragraphs.append(format_html('<p class="voice-topic">{}</p>', topic))
            if entry.agrees is not None:
                agrees = label["agrees"] if entry.agrees else label["disagrees"]
                paragraphs.append(format_html('<p data-testid="agrees">{}</p>', agrees))
            if entry.text:
                paragraphs.append(format_html("<p>{}</p>", _text(entry.text)))
        return EntryLines(
            entry=entry,
            kind=self.kinds.get(entry.kind, entry.kind),
            meta=self._meta(entry),
            details=[(name, conditional_escape(value)) for name, value in details],
            paragraphs=paragraphs,
        )
