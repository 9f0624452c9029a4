"""An entry in words, as the entry template (`plans/_entry.html`) shows it.

The words of an entry's choices (its category, domain, topic, the author's role) are looked up once
per page (`Wording`), not per entry: a model's `get_FOO_display` translates every choice of the
field on each call, and a plan of 200 entries would translate thousands of labels. The goal an
action or a note is tied to is shown in words only when the reader may read that goal (it may be
in another register, withheld from them); otherwise only that there is one.
"""

from __future__ import annotations

import uuid
from collections.abc import Container
from dataclasses import dataclass

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lape.access.categories import Category
from lape.accounts.models import Role

from .domains import WellbeingDomain
from .models import Entry, EntryKind, VoiceTopic

GOAL_WORDS = 80  # characters of a goal's words beside an action or a note tied to it


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


@dataclass(frozen=True)
class EntryLines:
    """One entry as the template shows it: the entry, and its choices and links in words."""

    entry: Entry
    kind: str
    author: str
    organization: str
    category: str
    domain: str
    topic: str
    responsible: str
    goal: str


class Wording:
    """The labels of the entries' choices in the active language, for one page."""

    def __init__(self) -> None:
        self.kinds = _labels(EntryKind)
        self.categories = _labels(Category)
        self.domains = _labels(WellbeingDomain)
        self.topics = _labels(VoiceTopic)
        self.roles = _labels(Role)

    def lines(self, entry: Entry, readable_goals: Container[uuid.UUID]) -> EntryLines:
        """The entry in words; its goal's words only when the goal's id is in `readable_goals`."""
        author = ""
        membership = entry.author_membership
        if membership is not None:
            name = membership.user.get_full_name() or membership.user.get_username()
            author = f"{name} – {self.roles.get(membership.role, membership.role)}"
        responsible = ""
        if entry.responsible is not None:
            user = entry.responsible.membership.user
            responsible = user.get_full_name() or user.get_username()
        goal = ""
        if entry.goal_id is not None:
            readable = entry.goal if entry.goal_id in readable_goals else None
            if readable is not None:
                goal = Truncator(readable.text or readable.child_words).chars(GOAL_WORDS)
            else:
                goal = _("a goal you have no basis to read")
        return EntryLines(
            entry=entry,
            kind=self.kinds.get(entry.kind, entry.kind),
            author=author,
            organization=str(entry.owner_organization),
            category=self.categories.get(entry.category, entry.category),
            domain=self.domains.get(entry.domain, entry.domain),
            topic=self.topics.get(entry.topic, entry.topic),
            responsible=responsible,
            goal=goal,
        )
