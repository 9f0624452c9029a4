"""The shapes of the referrals API (docs/referrals.md, "API"): what goes in and what comes out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

# --- contact requests


# The same rules as lape.referrals.request_input, as far as a schema can say them: what the schema
# allows, the actions accept (apart from ids that do not exist: 404).
PHONE = r"^(\+?[0-9][0-9 ()-]{4,19})?$"
EMAIL = (
    r"^([-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})?$"
)
ChildAge = Annotated[int, Field(ge=0, le=17)]


class RequestContentIn(Schema):
    """What a request says and how to contact the family."""

    worry: str = Field(
        max_length=4000,
        pattern=r"\S",
        description="What worries the family or what they would like help with.",
    )
    children_ages: list[ChildAge] = Field(
        default_factory=list, max_length=12, description="Each child's age in whole years (0–17)."
    )
    language: str = Field(
        "fi", pattern=r"^[a-z]{2,3}$", description="The language to be contacted in (ISO 639-1)."
    )
    contact_method: Literal["phone", "text_message", "email"] = "phone"
    contact_name: str = Field("", max_length=200, description="A name, or empty to stay anonymous.")
    contact_phone: str = Field("", max_length=20, pattern=PHONE)
    contact_email: str = Field("", max_length=254, pattern=EMAIL)
    contact_times: str = Field("", max_length=300, description="When to contact, in the family's words.")
    family_centre_id: uuid.UUID = Field(None, description="The family centre asked (or give service_id).")  # type: ignore[assignment]
    service_id: uuid.UUID = Field(None, description="The service whose family centre is asked.")  # type: ignore[assignment]


class FamilyRequestIn(RequestContentIn):
    """A family's request: the family centre (or a service of its network) and a way to reach the family."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"anyOf": [{"required": ["family_centre_id"]}, {"required": ["service_id"]}]},
                {
                    "anyOf": [
                        {
                            "properties": {
                                "contact_method": {"enum": ["phone", "text_message"]},
                                "contact_phone": {"minLength": 5},
                            },
                            "required": ["contact_phone"],
                        },
                        {
                            "properties": {
                                "contact_method": {"const": "email"},
                                "contact_email": {"minLength": 3},
                            },
                            "required": ["contact_method", "contact_email"],
                        },
                    ]
                },
            ]
        }
    )


class ReceiptOut(Schema):
    """The receipt: the reference to quote, and the secret status link (shown once; keep it)."""

    reference: str
    status_token: str
    status_url: str
    family_centre: str
    due_on: dt.date


class StatusOut(Schema):
    """A request's status and dates only."""

    reference: str
    status: str
    status_label: str
    family_centre: str
    received_at: dt.datetime
    due_on: dt.date
    answered_at: dt.datetime | None
    forwarded_at: dt.datetime | None
    closed_at: dt.datetime | None


class OnBehalfIn(RequestContentIn):
    """A professional's request on a family's behalf (Social Welfare Act 1301/2014, 35 §).

    The person is found by identity code (in the body, never in a URL); with a consent in force,
    or `urgent_reason` when urgent.
    """

    identity_code: str
    urgent_reason: str = ""


class QueueRowOut(Schema):
    """One request in a queue: no worry, no contact details."""

    id: uuid.UUID
    reference: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_on: dt.date
    waited_working_days: int
    overdue: bool
    children_ages: list[int]
    language: str
    family_centre: str
    asked_at_service: str
    assigned_service: str
    assigned_to: str


class EventOut(Schema):
    kind: str
    at: dt.datetime
    username: str
    from_status: str
    to_status: str
    note: str


class RequestOut(Schema):
    """A request as a coordinator or the assigned professional sees it."""

    id: uuid.UUID
    reference: str
    status: str
    origin: str
    family_centre_id: uuid.UUID
    family_centre: str
    worry: str
    children_ages: list[int]
    language: str
    contact_name: str
    contact_phone: str
    contact_email: str
    contact_method: str
    contact_times: str
    person_id: uuid.UUID | None
    urgent_reason: str
    received_at: dt.datetime
    due_on: dt.date
    waited_working_days: int
    overdue: bool
    assigned_service_id: uuid.UUID | None
    assigned_membership_id: uuid.UUID | None
    outcome: str
    events: list[EventOut]


class AssignIn(Schema):
    service_id: uuid.UUID
    professional_membership_id: uuid.UUID


class ReplyIn(Schema):
    message: str


class ForwardIn(Schema):
    """Give `family_centre_id`, or `service_id` with `professional_membership_id`."""

    family_centre_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    professional_membership_id: uuid.UUID | None = None
    note: str = ""


class ForwardedOut(Schema):
    """Where a forwarded request went (it may have left your register)."""

    id: uuid.UUID
    reference: str
    status: str
    family_centre: str


class CloseIn(Schema):
    outcome: str = Field(
        description="service_started, advice_given, referred, not_reached, no_need, duplicate, withdrawn"
    )
    note: str = ""


class IdentifyIn(Schema):
    identity_code: str
    given_names: str = ""
    family_name: str = ""


# --- referrals


class ReferralIn(Schema):
    """A new referral (or a child-protection notification) about the person of `contact_request_id`, or found by identity code."""

    receiver_service_id: uuid.UUID
    reason: str
    category: str = Field(
        "", description="The receiving register's category (not needed for a notification)."
    )
    kind: str = "referral"
    items: dict[str, str] = Field(default_factory=dict, description="Information carried, by category.")
    contact_request_id: uuid.UUID | None = None
    identity_code: str = ""
    receiver_unit_id: uuid.UUID | None = None
    send: bool = True


class TransitionIn(Schema):
    status: str = Field(description="The FHIR Task status to move to, e.g. accepted, in-progress, completed.")
    reason: str = ""
    outcome: str = ""


class ItemOut(Schema):
    category: str
    text: str
    basis: str
    law: str


class WithheldOut(Schema):
    category: str
    explanation: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    username: str
    role: str
    organization_id: uuid.UUID
    side: str
    reason: str


class ClockOut(Schema):
    due_on: dt.date
    met_on: dt.date | None
    overdue: bool
    days_left: int


class ClocksOut(Schema):
    received_on: dt.date
    decision: ClockOut
    assessment: ClockOut


class ReferralSummaryOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    person_name: str
    sender_organization: str
    receiver_service: str
    receiver_organization: str
    created_at: dt.datetime
    requested_at: dt.datetime | None


class ReferralOut(ReferralSummaryOut):
    side: str | None
    category: str
    reason: str
    status_reason: str
    outcome: str
    items: list[ItemOut]
    withheld: list[WithheldOut]
    transitions: list[TransitionOut]
    allowed_transitions: list[str]
    clocks: ClocksOut | None


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    text: str
    link: str
    created_at: dt.datetime
    read: bool
