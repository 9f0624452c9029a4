"""The shared plan of one child: the plan, its coordinator and team, and its entries (docs/plans.md).

Everything here is client data: read only through `lape.access` (targets.py says what each record
is to access; reading.py reads) and written only by the actions of this app (team.py,
coordination.py, entries.py), each of which logs its write in the same transaction. No admin.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access.categories import Category
from lape.accounts.models import Membership
from lape.directory.models import Organization, Service
from lape.people.models import Person

from .domains import WellbeingDomain

MAX_TEXT = 4000
# An entry holds a service's own information; `contact` is the category of contact requests and of
# the plan's team and dates (targets.py), never of an entry.
ENTRY_CATEGORIES = tuple(c for c in Category.values if c != Category.CONTACT)


class PlanStatus(models.TextChoices):
    """A plan is open while the team works with the child, closed with a summary afterwards."""

    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Plan(models.Model):
    """One child's living plan: the coordinator, the team, the entries, the next review.

    A child has at most one open plan (the database refuses a second); closed plans stay as history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans", verbose_name=_("child"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    coordinator = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="coordinated_plans",
        verbose_name=_("coordinator"),
        help_text=_("The lead professional; changes only when the next one accepts the role."),
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="open"), name="plans_one_open_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="plans_plan_closed_when_closed_at",
            ),
        ]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.child}: {self.get_status_display()}"


class TeamMember(models.Model):
    """A professional (a membership: person, organisation, role) on a plan's team, from a day to a day.

    `ended` is the last day (planned or past); removal also stamps `removed_at`, which ends access
    at once (relations.py), not at the end of the day.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="team", verbose_name=_("plan"))
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="plan_teams", verbose_name=_("professional")
    )
    task = models.CharField(
        _("task on the team"), max_length=200, blank=True, help_text=_("What they do for the child.")
    )
    started = models.DateField(_("from"), default=timezone.localdate)
    ended = models.DateField(_("to"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["plan", "started", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="plans_teammember_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["plan", "membership"],
                condition=Q(removed_at__isnull=True),
                name="plans_one_place_on_a_team",
            ),
        ]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return str(self.membership)

    def is_in_force(self, day: dt.date | None = None) -> bool:
        """Whether the member is on the team on `day` (default today in Finland) and not removed."""
        on = day or timezone.localdate()
        return self.removed_at is None and self.started <= on and (self.ended is None or self.ended >= on)


class OfferStatus(models.TextChoices):
    """Where an offer to hand the coordination over is."""

    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")


class CoordinationOffer(models.Model):
    """The coordinator offers the role to a team member; it changes hands only when they accept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="offers", verbose_name=_("plan"))
    offered_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("offered by")
    )
    offered_to = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="coordination_offers", verbose_name=_("offered to")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="pending"), name="plans_one_pending_offer_per_plan"
            ),
        ]
        verbose_name = _("coordination offer")
        verbose_name_plural = _("coordination offers")

    def __str__(self) -> str:
        return f"{self.offered_to}: {self.get_status_display()}"


class EntryKind(models.TextChoices):
    """What an entry of the plan is."""

    GOAL = "goal", _("goal")
    ACTION = "action", _("action")
    NOTE = "note", _("progress note")
    MEETING = "meeting", _("meeting or review")
    VOICE = "voice", _("family member's own words")


class VoiceTopic(models.TextChoices):
    """What the child or a guardian writes about (issue 5: their own entries)."""

    GOING_WELL = "going_well", _("what is going well")
    WORRIES = "worries", _("what worries me")
    WISHES = "wishes", _("what I wish for")
    ABOUT_GOAL = "about_goal", _("what I think of a goal")


class Entry(models.Model):
    """One entry of a plan, in the register of `owner_organization`, in one information category.

    `text` is the entry's main words: a goal in the professionals' words, what an action does, a
    note, a meeting's decisions, the child's or a guardian's own words. The other fields belong to
    one kind each (the database checks the ones that must be there). A professional writes as a
    membership; the child or a guardian as a person.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    category = models.CharField(_("information category"), max_length=30, choices=Category.choices)
    owner_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("register of")
    )
    author_membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    author_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("text"))
    # A goal
    domain = models.CharField(
        _("wellbeing domain"), max_length=20, choices=WellbeingDomain.choices, blank=True
    )
    child_words = models.TextField(_("in the child's own words"), blank=True)
    # An action (and a note or an opinion about a goal: the goal it is about)
    goal = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("goal")
    )
    responsible = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("who")
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    method = models.CharField(_("method"), max_length=200, blank=True)
    # A meeting or review
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # The child's or a guardian's own words
    topic = models.CharField(_("about"), max_length=20, choices=VoiceTopic.choices, blank=True)
    agrees = models.BooleanField(_("agrees with the goal"), null=True, blank=True)
    # The young person's own confidentiality: kept from the guardians (lape.access.capacity,
    # CONFIDENTIAL_FROM_GUARDIANS: Patients' Act 785/1992, 9 §; Social Welfare Client Act 812/2000, 11 §).
    confidential = models.BooleanField(
        _("confidential from the guardians"),
        default=False,
        help_text=_("The young person has forbidden telling their guardians; the child still sees it."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["plan", "created_at"], name="plans_entry_plan_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_membership__isnull=True, author_person__isnull=False, kind="voice")
                | (Q(author_membership__isnull=False, author_person__isnull=True) & ~Q(kind="voice")),
                name="plans_entry_one_author",
            ),
            models.CheckConstraint(condition=~Q(kind="goal") | ~Q(domain=""), name="plans_goal_has_domain"),
            models.CheckConstraint(
                condition=~Q(kind="meeting") | Q(held_on__isnull=False), name="plans_meeting_has_date"
            ),
            models.CheckConstraint(condition=~Q(kind="voice") | ~Q(topic=""), name="plans_voice_has_topic"),
        ]
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_category_display()})"


class ConcernSignal(models.Model):
    """A professional's signal that they are worried about a child: who, from where, how to reach them.

    No content at all (docs/plans.md, "Concern signals"): the signal says only that this
    organisation's professional is involved. In force from `created_at` until `expires_at`, unless
    withdrawn; afterwards it stays as history (the family and the access log refer to it).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the index (child, expires_at) below starts with the child and serves both.
    child = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="concern_signals",
        verbose_name=_("child"),
        db_index=False,
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="concern_signals", verbose_name=_("professional")
    )
    # The membership's organisation, kept on the row so that matching is one indexed query.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="concern_signals", verbose_name=_("organisation")
    )
    contact = models.CharField(_("how to reach"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["child", "expires_at"], name="plans_signal_child_expires")]
        verbose_name = _("concern signal")
        verbose_name_plural = _("concern signals")

    def __str__(self) -> str:
        return f"{self.organization}: {self.created_at:%Y-%m-%d}"

    def in_force(self, at: dt.datetime | None = None) -> bool:
        """Whether the signal is in force at `at` (now): not withdrawn, not expired."""
        at = at or timezone.now()
        return self.withdrawn_at is None and self.created_at <= at < self.expires_at


class ConcernMatch(models.Model):
    """Two organisations' signals about the same child, in force at once: both sides were told."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    earlier = models.ForeignKey(
        ConcernSignal,
        on_delete=models.CASCADE,
        related_name="matches_as_earlier",
        verbose_name=_("earlier signal"),
    )
    later = models.ForeignKey(
        ConcernSignal,
        on_delete=models.CASCADE,
        related_name="matches_as_later",
        verbose_name=_("later signal"),
    )
    created_at = models.DateTimeField(_("matched"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["earlier", "later"], name="plans_match_once")]
        verbose_name = _("concern signal match")
        verbose_name_plural = _("concern signal matches")

    def __str__(self) -> str:
        return f"{self.earlier_id} – {self.later_id}"


class Feeling(models.IntegerChoices):
    """The self-assessment's scale, 1–5, each shown as a face with its words (a child's own scale)."""

    VERY_BAD = 1, _("really not good")
    BAD = 2, _("not so good")
    OKAY = 3, _("okay")
    GOOD = 4, _("good")
    VERY_GOOD = 5, _("really good")


class SelfAssessment(models.Model):
    """The child's wellbeing self-assessment on one day: a feeling (1–5) for each domain answered.

    Answered by the child (12 or more, signed in: `author_person`) or done together with a
    professional for a younger child (`author_membership`: the professional who recorded it; the
    database checks exactly one). Like an entry, it is in one organisation's register in one
    information category (docs/plans.md, "The child's and the parents' voice").
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="self_assessments", verbose_name=_("plan")
    )
    category = models.CharField(_("information category"), max_length=30, choices=Category.choices)
    owner_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("register of")
    )
    author_membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done together with"),
    )
    author_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["plan", "created_at"], name="plans_selfassessment_plan")]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_membership__isnull=True, author_person__isnull=False)
                | Q(author_membership__isnull=False, author_person__isnull=True),
                name="plans_selfassessment_one_author",
            ),
        ]
        verbose_name = _("wellbeing self-assessment")
        verbose_name_plural = _("wellbeing self-assessments")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.created_at:%Y-%m-%d}"


class SelfAssessmentAnswer(models.Model):
    """One domain's feeling in a self-assessment (a domain left unanswered has no row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("self-assessment")
    )
    domain = models.CharField(_("wellbeing domain"), max_length=20, choices=WellbeingDomain.choices)
    feeling = models.PositiveSmallIntegerField(_("feeling"), choices=Feeling.choices)

    class Meta:
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="plans_answer_once_per_domain"),
            models.CheckConstraint(
                condition=Q(feeling__gte=1, feeling__lte=5), name="plans_answer_feeling_1_to_5"
            ),
        ]
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")

    def __str__(self) -> str:
        return f"{self.domain}: {self.feeling}"


class FamilyPart(models.Model):
    """The family-level part shared by siblings' open plans: what concerns the whole family.

    Its plans are linked through LinkedPlan (a plan is in at most one part at a time); its entries
    (FamilyEntry) are each about the children whose plans were linked when it was written.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("family-level part")
        verbose_name_plural = _("family-level parts")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"


class LinkedPlan(models.Model):
    """A plan linked to a family-level part, from `linked_at` until it leaves (`left_at`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    part = models.ForeignKey(
        FamilyPart, on_delete=models.CASCADE, related_name="links", verbose_name=_("family-level part")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="family_links", verbose_name=_("plan")
    )
    linked_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("linked by")
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    left_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unlinked by"),
    )
    left_at = models.DateTimeField(_("unlinked"), null=True, blank=True)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(left_at__isnull=True), name="plans_one_family_part_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True, left_by__isnull=True)
                | Q(left_at__isnull=False, left_by__isnull=False),
                name="plans_linkedplan_left_by_when_left",
            ),
        ]
        verbose_name = _("linked plan")
        verbose_name_plural = _("linked plans")

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.part_id}"


# A family-level entry is a goal, an action, a note or a meeting; a child's own words stay in their plan.
FAMILY_ENTRY_KINDS = (EntryKind.GOAL, EntryKind.ACTION, EntryKind.NOTE, EntryKind.MEETING)


class FamilyEntry(models.Model):
    """An entry of the family-level part, in `owner_organization`'s register and one category, about
    `children` (the children whose plans were linked when it was written: access asks each of them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    part = models.ForeignKey(
        FamilyPart, on_delete=models.CASCADE, related_name="entries", verbose_name=_("family-level part")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=[(k.value, k.label) for k in FAMILY_ENTRY_KINDS]
    )
    category = models.CharField(_("information category"), max_length=30, choices=Category.choices)
    owner_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("register of")
    )
    author_membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    children = models.ManyToManyField(Person, related_name="+", verbose_name=_("about"))
    text = models.TextField(_("text"))
    domain = models.CharField(
        _("wellbeing domain"), max_length=20, choices=WellbeingDomain.choices, blank=True
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FAMILY_ENTRY_KINDS]), name="plans_family_entry_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="goal") | ~Q(domain=""), name="plans_family_goal_has_domain"
            ),
            models.CheckConstraint(
                condition=~Q(kind="meeting") | Q(held_on__isnull=False), name="plans_family_meeting_has_date"
            ),
        ]
        verbose_name = _("family-level entry")
        verbose_name_plural = _("family-level entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_category_display()})"


class EmergencyReview(models.Model):
    """A break-the-glass read awaiting, or given, the review of the data controller of the register read.

    Made in the transaction of the emergency read's log row (lape.access.emergency's signal), one per
    row; the reviewer (the permission below, in the register's organisation) marks it reviewed with
    a note. The log row stays as it is: the review is beside it, never in it (the log is append-only).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The log's row by its plain id, as the log names records: no foreign key reaches the log (its
    # table must stay free of constraints that would hold up its append-only triggers).
    log_entry_id = models.BigIntegerField(_("emergency read (access-log row)"), unique=True)
    register_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("register of"),
    )
    person_id = models.UUIDField(_("person id"), null=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewer_membership_id = models.UUIDField(_("reviewer's membership id"), null=True, blank=True)
    note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["register_organization", "reviewed_at"], name="plans_review_register")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, note="") | (Q(reviewed_at__isnull=False) & ~Q(note="")),
                name="plans_review_has_note",
            )
        ]
        permissions = [
            (
                "review_emergency_access",
                _("Can review the emergency (break-the-glass) reads of the organisation's register"),
            )
        ]
        verbose_name = _("review of an emergency read")
        verbose_name_plural = _("reviews of emergency reads")

    def __str__(self) -> str:
        return f"{self.log_entry_id} {'reviewed' if self.reviewed_at else 'waiting'}"
