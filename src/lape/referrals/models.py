"""Contact requests from families, the family centre's triage, and closed-loop referrals (docs/referrals.md).

Everything here except `TriageSetting` and `PostCount` is client data: it is read only through
`lape.access.guard` (see `targets.py` for the access targets of these records) and written only by
the actions of this app (`requests.py`, `handling.py`, `referring.py`, `flow.py`), which log every
write in the access log in the same transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lape.access.models import Consent
from lape.accounts.models import Membership, Unit
from lape.directory.models import FamilyCentre, Organization, Service
from lape.people.models import Person

DEFAULT_RESPONSE_DAYS = 2
MAX_RESPONSE_DAYS = 30


class TriageSetting(models.Model):
    """A family centre's triage: its response target and (optionally) the unit whose coordinators share the queue.

    Without a row, the centre's target is DEFAULT_RESPONSE_DAYS working days and every coordinator of
    the coordinating organisation shares its queue.
    """

    family_centre = models.OneToOneField(
        FamilyCentre,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="triage",
        verbose_name=_("family centre"),
    )
    response_days = models.PositiveSmallIntegerField(
        _("response target (working days)"),
        default=DEFAULT_RESPONSE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESPONSE_DAYS)],
    )
    coordinating_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinating unit"),
        help_text=_(
            "Only the coordinators of this unit share the queue; empty: every coordinator of the organisation."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["family_centre__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_days__gte=1) & Q(response_days__lte=MAX_RESPONSE_DAYS),
                name="referrals_triage_response_days_range",
            ),
        ]
        verbose_name = _("triage setting")
        verbose_name_plural = _("triage settings")

    def __str__(self) -> str:
        return f"{self.family_centre}: {self.response_days}"


class RequestStatus(models.TextChoices):
    """Where a contact request is: new → assigned → answered or forwarded → closed."""

    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    ANSWERED = "answered", _("answered")
    FORWARDED = "forwarded", _("forwarded")
    CLOSED = "closed", _("closed")


class Origin(models.TextChoices):
    """Who made the request: the family, or a professional on its behalf (Social Welfare Act 1301/2014, 35 §)."""

    FAMILY = "family", _("the family")
    PROFESSIONAL_WITH_CONSENT = "professional_with_consent", _("a professional, with the family's consent")
    PROFESSIONAL_URGENT = "professional_urgent", _("a professional, urgently without consent")


class AskedVia(models.TextChoices):
    """Where the request was made."""

    START_PAGE = "start_page", _("the start page")
    SERVICE_PAGE = "service_page", _("a service's page")
    FAMILY_CENTRE_PAGE = "family_centre_page", _("a family centre's page")
    PROFESSIONAL = "professional", _("a professional")
    API = "api", _("the API")


class ContactMethod(models.TextChoices):
    """How the family wants to be contacted."""

    PHONE = "phone", _("phone call")
    TEXT_MESSAGE = "text_message", _("text message")
    EMAIL = "email", _("e-mail")


class RequestOutcome(models.TextChoices):
    """What came of a request when it was closed."""

    SERVICE_STARTED = "service_started", _("a service was started")
    ADVICE_GIVEN = "advice_given", _("advice was given")
    REFERRED = "referred", _("referred to another service")
    NOT_REACHED = "not_reached", _("the family could not be reached")
    NO_NEED = "no_need", _("no need for a service")
    DUPLICATE = "duplicate", _("a duplicate of another request")
    WITHDRAWN = "withdrawn", _("the family withdrew the request")


class ContactRequest(models.Model):
    """A family's request for contact ("ask the family centre"), or a professional's on its behalf.

    `reference` is the short code on the family's receipt; the status link carries a secret token of
    which only a hash is kept (`status_token_hash`). `holder_organization` is the organisation whose
    register holds the request now (the coordinating organisation of `family_centre`, or after a
    forward to another organisation's service, that organisation).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    status_token_hash = models.CharField(_("status link hash"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    origin = models.CharField(_("made by"), max_length=30, choices=Origin.choices, default=Origin.FAMILY)
    asked_via = models.CharField(_("asked via"), max_length=30, choices=AskedVia.choices)
    family_centre = models.ForeignKey(
        FamilyCentre,
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("family centre"),
    )
    holder_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by")
    )
    asked_at_service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked at service"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("person"),
    )
    worry = models.TextField(_("what worries you"))
    # Whole years, 0–17, one a child.
    children_ages = models.JSONField(_("children's ages"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=3, default="fi")
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_method = models.CharField(
        _("how to contact"), max_length=20, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    contact_times = models.CharField(_("when to contact"), max_length=300, blank=True)
    made_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by user"),
    )
    made_by_membership_id = models.UUIDField(_("made in membership"), null=True, blank=True)
    made_by_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by organisation"),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("consent")
    )
    urgent_reason = models.TextField(_("why urgent without consent"), blank=True)
    assigned_service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_contact_requests",
        verbose_name=_("assigned service"),
    )
    assigned_membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_contact_requests",
        verbose_name=_("assigned professional"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RequestOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["family_centre", "status", "received_at"], name="referrals_request_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin="professional_urgent") | ~Q(urgent_reason=""),
                name="referrals_request_urgent_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(origin="professional_with_consent") | Q(consent__isnull=False),
                name="referrals_request_consent_given",
            ),
            models.CheckConstraint(
                condition=~Q(origin="family") | ~Q(contact_phone="") | ~Q(contact_email=""),
                name="referrals_request_family_contact",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed", closed_at__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(outcome="")),
                name="referrals_request_closed_has_time",
            ),
        ]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self) -> str:
        # The reference only: never the worry or a name in a string that may reach a log.
        return self.reference

    @property
    def subject_id(self) -> uuid.UUID:
        """Whose data this is for access: the person, or for an anonymous family the request itself."""
        return self.person_id or self.id


class RequestEvent(models.Model):
    """One step in a contact request's life: received, assigned, answered, forwarded, closed; who and when."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        ANSWERED = "answered", _("answered")
        FORWARDED = "forwarded", _("forwarded")
        CLOSED = "closed", _("closed")
        IDENTIFIED = "identified", _("person identified")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("contact request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    membership_id = models.UUIDField(_("membership id"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    family_centre = models.ForeignKey(
        FamilyCentre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("contact request event")
        verbose_name_plural = _("contact request events")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ReferralKind(models.TextChoices):
    """A referral to a service, or a child-protection notification (Child Welfare Act 417/2007, 25 §)."""

    REFERRAL = "referral", _("referral")
    CHILD_PROTECTION_NOTIFICATION = "child_protection_notification", _("child-protection notification")


class ReferralStatus(models.TextChoices):
    """The status of a referral: HL7 FHIR Task's codes, as the Gravity Project's closed loop uses them."""

    DRAFT = "draft", _("draft")
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    IN_PROGRESS = "in-progress", _("in progress")
    ON_HOLD = "on-hold", _("on hold")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    ENTERED_IN_ERROR = "entered-in-error", _("entered in error")


class Referral(models.Model):
    """A closed-loop referral of a child (or family) from one service to another, perhaps of another organisation.

    The sender writes `reason` (what is asked of the receiving service) and the information it
    carries (`items`, each only with a consent or a law that lets it go to the receiver); the
    receiver answers with the status and, on completion, the `outcome` that goes back to the sender.
    `category` is the receiving register's information category; `sender_category` the sender's.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("kind"), max_length=40, choices=ReferralKind.choices, default=ReferralKind.REFERRAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    contact_request = models.ForeignKey(
        ContactRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("contact request"),
    )
    sender_membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="sent_referrals", verbose_name=_("sender")
    )
    sender_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("sending organisation")
    )
    sender_category = models.CharField(_("sender's information category"), max_length=30)
    receiver_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("receiving service")
    )
    receiver_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving organisation")
    )
    receiver_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving unit"),
    )
    receiver_membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_referrals",
        verbose_name=_("handled by"),
    )
    category = models.CharField(_("information category"), max_length=30)
    reason = models.TextField(_("what is asked"))
    status_reason = models.TextField(_("reason for the status"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    requested_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["receiver_organization", "status"], name="referrals_referral_inbox"),
            models.Index(fields=["sender_membership", "status"], name="referrals_referral_outbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""), name="referrals_referral_completed_outcome"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(requested_at__isnull=False)
                | Q(status="entered-in-error")
                | Q(status="cancelled"),
                name="referrals_referral_sent_time",
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"


class ReferralItem(models.Model):
    """One category of information a referral carries, and the basis that lets it go to the receiver."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="items", verbose_name=_("referral")
    )
    category = models.CharField(_("information category"), max_length=30)
    text = models.TextField(_("information"))
    basis = models.CharField(_("basis"), max_length=20)
    law = models.CharField(_("statute"), max_length=60, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("consent")
    )

    class Meta:
        ordering = ["referral", "category"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "category"], name="referrals_item_one_per_category"),
        ]
        verbose_name = _("referral information")
        verbose_name_plural = _("referral information")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.category}"


class ReferralTransition(models.Model):
    """One change of a referral's status: from, to, who (user, role, organisation), when and why."""

    class Side(models.TextChoices):
        SENDER = "sender", _("sender")
        RECEIVER = "receiver", _("receiver")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("referral")
    )
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150)
    membership_id = models.UUIDField(_("membership id"))
    role = models.CharField(_("role"), max_length=30)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral transition")
        verbose_name_plural = _("referral transitions")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.from_status}→{self.to_status}"


class NotificationKind(models.TextChoices):
    """Why a professional is notified."""

    REQUEST_ASSIGNED = "request_assigned", _("a contact request was assigned to you")
    REQUEST_FORWARDED = "request_forwarded", _("a contact request was forwarded to you")
    REQUEST_OVERDUE = "request_overdue", _("a contact request is overdue")
    NEW_REQUEST = "new_request", _("a new contact request is waiting")
    REFERRAL_RECEIVED = "referral_received", _("a referral was sent to your service")
    REFERRAL_STATUS = "referral_status", _("a referral's status changed")


class Notification(models.Model):
    """An in-app notification: who, why and a link; never the client's details."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lape_notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    link = models.CharField(_("link"), max_length=300)
    # The new status of a referral (REFERRAL_STATUS), shown with the kind; no other detail.
    status = models.CharField(_("status"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="referrals_notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class PostCount(models.Model):
    """How many public posts one address (kept only as a keyed hash) made in one time window."""

    key = models.CharField(_("address key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["window_start", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="referrals_postcount_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="referrals_postcount_age")]
        verbose_name = _("post count")
        verbose_name_plural = _("post counts")

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
