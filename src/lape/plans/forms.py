"""The forms of the plan pages: their fields are named as the actions' keyword arguments, so an
action's ValidationError lands next to the field it names (lape.form_errors.apply_errors)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lape.access.capacity import CONFIDENTIAL_FROM_GUARDIANS
from lape.access.categories import Category
from lape.access.emergency import MIN_REASON_LENGTH
from lape.access.registers import handles_in_own_register
from lape.accounts.models import Membership
from lape.accounts.roles import SEES_CLIENT_DATA

from .domains import WellbeingDomain
from .models import ENTRY_CATEGORIES, MAX_TEXT, Entry, EntryKind, Feeling, TeamMember
from .self_assessment import QUESTIONS
from .team import MAX_TASK
from .voice import OWN_TOPICS

DATE = forms.DateInput(attrs={"type": "date"})


def category_choices(role: str) -> list[tuple[str, Any]]:
    """The categories the role writes in its own register (an entry goes nowhere else)."""
    return [(c, Category(c).label) for c in ENTRY_CATEGORIES if handles_in_own_register(role, c)]


def professional_label(membership: Membership) -> str:
    """A professional as the lists say it: name – role, organisation."""
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name} – {membership.get_role_display()}, {membership.organization}"


def member_label(member: TeamMember) -> str:
    """A team member as the lists say it."""
    return professional_label(member.membership)


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    """Set a choice field's choices (they depend on the plan and the actor)."""
    field = cast(forms.ChoiceField, form.fields[name])
    field.choices = choices


class StartPlanForm(forms.Form):
    """Start a child's plan: the child comes from the contact request or referral (hidden)."""

    child = forms.CharField(widget=forms.HiddenInput)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)


class AddMemberForm(forms.Form):
    """The coordinator adds a professional in force, in a role that sees client data."""

    prefix = "member"

    membership = forms.ChoiceField(label=_("Professional"))
    task = forms.CharField(label=_("Task for the child"), required=False, max_length=MAX_TASK)
    started = forms.DateField(label=_("First day on the team"), required=False, widget=DATE)
    ended = forms.DateField(label=_("Last day on the team (if known)"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        memberships = (
            Membership.objects.active()
            .filter(role__in=sorted(SEES_CLIENT_DATA))
            .select_related("user", "organization")
            .order_by("organization__name", "user__last_name", "user__first_name")
        )
        _choices(
            self,
            "membership",
            [("", _("Choose…"))] + [(str(m.pk), professional_label(m)) for m in memberships],
        )


class MemberForm(forms.Form):
    """Offer the coordination to a team member."""

    prefix = "offer"

    member = forms.ChoiceField(label=_("Team member"))

    def __init__(self, *args: Any, members: list[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "member", [("", _("Choose…"))] + [(str(m.pk), member_label(m)) for m in members])


class _EntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Information category"))
    confidential = forms.BooleanField(
        label=_("Confidential from the guardians"),
        help_text=_(
            "Only for health care or social care information about a young person of 12 or over who "
            "has forbidden telling their guardians (Patients' Act 785/1992, 9 §; Social Welfare Client "
            "Act 812/2000, 11 §). The young person still sees it; the team sees it as before."
        ),
        required=False,
    )

    def __init__(self, *args: Any, role: str, keeps_confidential: bool = True, **kwargs: Any) -> None:
        """`keeps_confidential`: whether the child is old enough for the confidentiality box (12+)."""
        super().__init__(*args, **kwargs)
        _choices(self, "category", category_choices(role))
        own = {c for c, _label in category_choices(role)}
        if "confidential" in self.fields:
            if keeps_confidential and own & set(CONFIDENTIAL_FROM_GUARDIANS):
                self.fields["confidential"] = self.fields.pop("confidential")  # last, after the entry
            else:
                del self.fields["confidential"]


def _goals(goals: list[Entry]) -> list[tuple[str, Any]]:
    return [("", _("No goal"))] + [(str(g.pk), g.text or g.child_words) for g in goals]


class GoalForm(_EntryForm):
    """A goal: its wellbeing domain, the team's words and the child's own."""

    prefix = "goal"

    domain = forms.ChoiceField(
        label=_("Wellbeing domain"), choices=[("", _("Choose…")), *WellbeingDomain.choices]
    )
    words = forms.CharField(label=_("The goal"), required=False, max_length=MAX_TEXT, widget=forms.Textarea)
    child_words = forms.CharField(
        label=_("In the child's own words"), required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )


class ActionForm(_EntryForm):
    """An action: what, who, by when, for which goal, with which service and method."""

    prefix = "action"

    what = forms.CharField(label=_("What is done"), max_length=MAX_TEXT, widget=forms.Textarea)
    responsible_id = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("By when"), widget=DATE)
    goal_id = forms.ChoiceField(label=_("For the goal"), required=False)
    service_id = forms.ChoiceField(label=_("Service"), required=False)
    method = forms.CharField(label=_("Method"), required=False, max_length=200)

    def __init__(
        self, *args: Any, members: list[TeamMember], goals: list[Entry], services: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self, "responsible_id", [("", _("Choose…"))] + [(str(m.pk), member_label(m)) for m in members]
        )
        _choices(self, "goal_id", _goals(goals))
        _choices(
            self,
            "service_id",
            [("", _("No service"))] + [(str(s.pk), f"{s.name} ({s.organization})") for s in services],
        )


class NoteForm(_EntryForm):
    """A progress note, about a goal or the whole plan."""

    prefix = "note"

    text = forms.CharField(label=_("Note"), max_length=MAX_TEXT, widget=forms.Textarea)
    goal_id = forms.ChoiceField(label=_("About the goal"), required=False)

    def __init__(self, *args: Any, goals: list[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "goal_id", _goals(goals))


class MeetingForm(_EntryForm):
    """A meeting or review: when, who took part, what was decided, the next review."""

    prefix = "meeting"
    confidential = None  # type: ignore[assignment]  # a meeting is the whole team's record

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), max_length=MAX_TEXT, widget=forms.Textarea)
    decisions = forms.CharField(label=_("Decisions"), max_length=MAX_TEXT, widget=forms.Textarea)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)


class CloseForm(forms.Form):
    """Close the plan with a summary."""

    prefix = "close"

    summary = forms.CharField(label=_("Summary"), max_length=MAX_TEXT, widget=forms.Textarea)


class EmergencyForm(forms.Form):
    """Why the entry must be read now, without the usual basis (logged with the read)."""

    reason = forms.CharField(
        label=_("Why you must read this now"),
        min_length=MIN_REASON_LENGTH,
        max_length=1000,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "At least %(count)s characters. The reason is logged and reviewed."
        ) % {"count": MIN_REASON_LENGTH}


class OwnWordsForm(forms.Form):
    """The child's or a guardian's own words: what is going well, what worries them, what they wish for."""

    prefix = "words"

    topic = forms.ChoiceField(
        label=_("What do you want to tell?"),
        choices=[(t.value, t.label) for t in OWN_TOPICS],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("In your own words"), max_length=MAX_TEXT, widget=forms.Textarea)


class GoalOpinionForm(forms.Form):
    """Agree or disagree with one goal, with words or without."""

    agrees = forms.TypedChoiceField(
        label=_("Do you agree with this goal?"),
        choices=[("yes", _("I agree")), ("no", _("I do not agree"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your words about the goal (if you like)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, goal_id: object, **kwargs: Any) -> None:
        kwargs["prefix"] = f"goal-{goal_id}"
        super().__init__(*args, **kwargs)


class SelfAssessmentForm(forms.Form):
    """A face (1–5) for each wellbeing domain, or none; the template draws each domain as a fieldset."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("I'd rather not say"))] + [(str(f.value), f.label) for f in Feeling]
        for domain in WellbeingDomain:
            self.fields[domain.value] = forms.ChoiceField(
                label=QUESTIONS[domain.value],
                choices=choices,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )


class LinkPlansForm(forms.Form):
    """Link this plan with siblings' plans in one family-level part."""

    prefix = "family-link"

    plans = forms.MultipleChoiceField(
        label=_("Siblings' plans to link with"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "plans", [(str(plan.pk), str(plan.child)) for plan in candidates])
        self.fields["plans"].help_text = _(
            "The open plans of the child's siblings (the same guardians) whose team you are on."
        )


class FamilyEntryForm(_EntryForm):
    """A family-level entry: a goal, an action, a note or a meeting that concerns the whole family."""

    prefix = "family-entry"

    kind = forms.ChoiceField(
        label=_("Kind of entry"),
        widget=forms.RadioSelect,
        choices=[(k, EntryKind(k).label) for k in ("goal", "action", "note", "meeting")],
    )
    text = forms.CharField(
        label=_("The goal, the action, the note or the meeting's decisions"),
        max_length=MAX_TEXT,
        widget=forms.Textarea,
    )
    domain = forms.ChoiceField(
        label=_("Wellbeing domain (a goal)"),
        required=False,
        choices=[("", _("Choose…")), *WellbeingDomain.choices],
    )
    due_on = forms.DateField(label=_("By when (an action)"), required=False, widget=DATE)
    held_on = forms.DateField(label=_("Held on (a meeting)"), required=False, widget=DATE)
