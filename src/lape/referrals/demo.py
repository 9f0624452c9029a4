"""Demo contact requests and referrals, loaded on `lape demo` after the demo professionals and families.

Everything goes through the app's own actions (so the access log shows the demo's reads and writes
too), acting as the demo professionals of lape.accounts.demo:

- the Kuopio Family Centre's response target (2 working days, coordinated by its unit);
- four family requests: a new one in Swedish (its status link is the public demo token
  `demo-status-sv`: /ask/status/demo-status-sv/), one overdue, one assigned to the family worker
  who has identified the child (Lumi Demo Testinen), and one answered and closed;
- the family worker's referrals of Lumi: to MLL's family-friend service (another organisation,
  with her guardian's consent; in progress) and to family counselling (completed, the outcome sent
  back);
- a teacher's child-protection notification about Veeti Demo Esimerkki (its clocks running).

Demo references start with DEMO- (letters never drawn for real ones); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lape.access.consent_actions import grant_consent
from lape.accounts.acting import Actor
from lape.accounts.demo import load_demo_accounts
from lape.accounts.models import Membership, Unit
from lape.directory.demo import demo_id
from lape.directory.models import FamilyCentre, Organization, Service
from lape.people.demo import demo_person, load_demo_people
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person

from .flow import transition_referral
from .handling import assign_request, close_request, identify_person, reply_to_request
from .models import ContactRequest, TriageSetting
from .notifications import in_app_only
from .referring import create_referral
from .requests import submit_request, token_hash
from .working_days import add_working_days

DEMO_STATUS_TOKEN = "demo-status-sv"  # noqa: S105 - a published demo status link, not a secret


def _actor(username: str, role: str, organization: str) -> Actor:
    membership = Membership.objects.select_related("user").get(
        pk=demo_id("membership", f"{username}:{role}:{organization}")
    )
    return Actor.for_membership(membership, verified=True)


def _service(key: str) -> Service:
    return Service.objects.get(pk=demo_id("service", key))


def _organization(key: str) -> Organization:
    return Organization.objects.get(pk=demo_id("organization", key))


def _code_of(person: Person, individual_number: int, sign: str = "") -> str:
    return compose_identity_code(person.birth_date, individual_number, sign)


def _ask(centre: FamilyCentre, reference: str, **fields: Any) -> ContactRequest:
    request = submit_request(family_centre=centre, contact_method="phone", **fields).request
    ContactRequest.objects.filter(pk=request.pk).update(reference=reference)
    request.refresh_from_db()
    return request


def _requests(centre: FamilyCentre, coordinator: Actor, family_worker: Actor) -> ContactRequest:
    swedish = _ask(
        centre,
        "DEMO-0001",
        worry="Vår dotter har svårt att sova och vi orkar inte längre. Vi skulle vilja prata med någon.",
        children_ages=[6, 14],
        language="sv",
        contact_name="Sofia",
        contact_phone="+358 40 000 0001",
        contact_times="Vardagar efter kl. 16",
    )
    ContactRequest.objects.filter(pk=swedish.pk).update(status_token_hash=token_hash(DEMO_STATUS_TOKEN))
    overdue = _ask(
        centre,
        "DEMO-0002",
        worry="Vauva itkee paljon ja olen yksin kotona. Tarvitsisin apua arkeen.",
        children_ages=[0],
        language="fi",
        contact_phone="+358 40 000 0002",
    )
    asked = timezone.now() - dt.timedelta(days=10)
    ContactRequest.objects.filter(pk=overdue.pk).update(
        received_at=asked, due_on=add_working_days(timezone.localdate(asked), 2)
    )
    assigned = _ask(
        centre,
        "DEMO-0003",
        worry="12-vuotias tyttäremme on yksinäinen ja jää kotiin koulun jälkeen. Kaipaisimme tukea.",
        children_ages=[0, 12],
        language="fi",
        contact_name="Aino",
        contact_phone="+358 40 000 0003",
    )
    assign_request(
        coordinator,
        assigned.pk,
        service=_service("family_work_kuopio"),
        professional=Membership.objects.get(pk=family_worker.membership_id),
    )
    reply_to_request(
        family_worker, assigned.pk, message="Soitettu, kotikäynti sovittu. Perhe toivoo tukiperhettä."
    )
    lumi = demo_person("testinen-lumi")
    identify_person(family_worker, assigned.pk, identity_code=_code_of(lumi, 904))
    closed = _ask(
        centre,
        "DEMO-0004",
        worry="Haluaisin tietää, missä on perhekahvila lähellä Männistöä.",
        children_ages=[2],
        language="fi",
        contact_phone="+358 40 000 0004",
    )
    reply_to_request(
        coordinator, closed.pk, message="Kerrottu MLL:n perhekahvilasta ja seurakunnan perhekerhosta."
    )
    close_request(coordinator, closed.pk, outcome="advice_given")
    assigned.refresh_from_db()
    return assigned


def _referrals(request: ContactRequest, family_worker: Actor) -> None:
    lumi = demo_person("testinen-lumi")
    grant_consent(
        family_worker,
        person=lumi,
        given_by=demo_person("testinen-aino"),
        organizations=[_organization("mll_kuopio")],
        categories=["contact", "social_services"],
        purpose="Tukiperhe- ja perhekummitoiminta MLL:n kautta",
        child_heard=True,
    )
    to_ngo = create_referral(
        family_worker,
        person=lumi,
        contact_request=request,
        receiver_service=_service("mll_family_friend"),
        category="ngo_support",
        reason="Lumi (12) kaipaa aikuista seuraa koulun jälkeen; perhe toivoo perhekummia.",
        items={"social_services": "Perhetyön kotikäynti: perhe on väsynyt, vauva valvottaa öisin."},
    )
    ngo_worker = _actor("jarjestotyontekija", "ngo_worker", "mll_kuopio")
    transition_referral(ngo_worker, to_ngo.pk, "accepted")
    transition_referral(ngo_worker, to_ngo.pk, "in-progress")
    to_counselling = create_referral(
        family_worker,
        person=lumi,
        contact_request=request,
        receiver_service=_service("family_counselling_kuopio"),
        category="health",
        reason="Vanhempien jaksaminen: perheneuvolan keskusteluaika.",
    )
    psychologist = _actor("psykologi", "doctor_psychologist", "county")
    transition_referral(psychologist, to_counselling.pk, "accepted")
    transition_referral(psychologist, to_counselling.pk, "in-progress")
    transition_referral(
        psychologist,
        to_counselling.pk,
        "completed",
        outcome="Kolme keskustelua vanhempien kanssa; jatko sovittu.",
    )


def _notification() -> None:
    veeti = demo_person("esimerkki-veeti")
    create_referral(
        _actor("opettaja", "teacher", "kuopio"),
        kind="child_protection_notification",
        person=veeti,
        receiver_service=_service("child_protection_notice"),
        reason="Veeti on ollut paljon poissa ja kertoi, ettei uskalla mennä kotiin.",
        items={"pupil_welfare": "Poissaoloja 14 päivää tällä jaksolla; väsynyt ja vetäytynyt."},
    )


@transaction.atomic
def load_demo_referrals() -> int:
    """Add the demo requests and referrals (idempotent); the number of requests added."""
    if ContactRequest.objects.filter(reference__startswith="DEMO-").exists():
        return 0
    # Normally loaded just before (same signal, earlier apps); idempotent, so safe to call again.
    if not Membership.objects.filter(pk=demo_id("membership", "koordinaattori:coordinator:county")).exists():
        load_demo_accounts()
    if not Person.objects.filter(given_names__contains="Demo").exists():
        load_demo_people()
    centre = FamilyCentre.objects.get(pk=demo_id("family_centre", "kuopio"))
    TriageSetting.objects.update_or_create(
        family_centre=centre,
        defaults={
            "response_days": 2,
            "coordinating_unit": Unit.objects.get(pk=demo_id("unit", "kuopio_family_centre")),
        },
    )
    coordinator = _actor("koordinaattori", "coordinator", "county")
    family_worker = _actor("perhetyontekija", "family_worker", "county")
    with in_app_only():
        request = _requests(centre, coordinator, family_worker)
        _referrals(request, family_worker)
        _notification()
    return ContactRequest.objects.filter(reference__startswith="DEMO-").count()


def demo_was_loaded(sender: object, **kwargs: Any) -> None:
    """`lape demo` (lape.directory.signals.demo_loaded): add the demo requests and referrals."""
    load_demo_referrals()
