"""The consent pages: a person's consents, recording one (the right giver, the dates, the choices),
withdrawing one (at once: the next referral step that relied on it is refused), and what a stranger,
a role without client data and a forged form get.

The people are the referrals tests' (a county's social worker, the Kuopio family centre, an NGO in
its network, Aino (10) and her mother Maija): the social worker's relation to a child is a real
contact request assigned to them, answered through the referrals app's relation provider.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from lape.access.consent_actions import grant_consent, withdraw_consent
from lape.access.models import AccessLogEntry, Consent
from lape.directory.models import Organization
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.people.registry import add_guardian, end_guardianship
from lape.referrals.handling import assign_request, identify_person
from lape.referrals.models import ContactRequest, Referral
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, family_asks, identified_request, membership_of, years_ago
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db

# The referrals tests' world (its family centre, services, professionals and family), so that the
# relation to a child comes from a real contact request.
world = referrals_world.world

PURPOSE = "A family friend for the family"


@pytest.fixture
def aino(world: World) -> Person:
    """Aino (10), on a contact request assigned to the social worker, who identified her."""
    request = identified_request(world, worker=world.social_worker)
    assert request.person == world.child
    return world.child


def _child_on_request(world: World, age: int, number: int, given_names: str) -> Person:
    """Another child of `age`, identified on a request of the social worker's, with Pekka as guardian."""
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.social_worker),
    )
    code = compose_identity_code(years_ago(age, days=20), number)
    identify_person(
        world.social_worker, request.pk, identity_code=code, given_names=given_names, family_name="Esimerkki"
    )
    request.refresh_from_db()
    assert request.person is not None
    father = Person.objects.create(given_names="Pekka", family_name="Esimerkki", birth_date=years_ago(45))
    add_guardian(father, request.person)
    return request.person


def _consents_url(person: Person) -> str:
    return f"/work/people/{person.pk}/consents/"


def _new_url(person: Person) -> str:
    return f"/work/people/{person.pk}/consents/new/"


def _form(world: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_by": str(world.mother.pk),
        "organizations": [str(world.ngo.pk)],
        "other_organization": "",
        "categories": ["ngo_support", "social_services"],
        "purpose": PURPOSE,
        "valid_from": "",
        "valid_until": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _field_error(html: str, field: str) -> str:
    """The text of the error list tied to a field (its id is what aria-describedby names)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def _log(**filters: Any) -> list[tuple[str, str, str, str, str]]:
    rows = AccessLogEntry.objects.filter(**filters).order_by("id")
    return list(rows.values_list("username", "action", "outcome", "record_type", "refusal"))


def _grant(
    world: World,
    organizations: list[Organization],
    categories: list[str],
    purpose: str = PURPOSE,
    **dates: Any,
) -> Consent:
    """Maija's consent about Aino, recorded by the social worker (on Aino's contact request)."""
    return grant_consent(
        world.social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=organizations,
        categories=categories,
        purpose=purpose,
        **dates,
    )


# The list


def test_it_lists_the_consents_in_force_and_those_ended_or_withdrawn(world: World, aino: Person) -> None:
    today = timezone.localdate()
    active = _grant(world, [world.ngo, world.city], ["social_services", "health"], "Support at home")
    later = _grant(
        world, [world.city], ["pupil_welfare"], "School starts", valid_from=today + dt.timedelta(days=30)
    )
    withdrawn = _grant(world, [world.ngo], ["ngo_support"], "A club")
    withdraw_consent(world.social_worker, withdrawn.pk)
    ended = _grant(world, [world.county], ["contact"], "An old request")
    # Ended yesterday (the action records no consent that has already ended).
    Consent.objects.filter(pk=ended.pk).update(
        valid_from=today - dt.timedelta(days=60), valid_until=today - dt.timedelta(days=1)
    )
    before = AccessLogEntry.objects.count()

    response = browser_of(world.social_worker).get(_consents_url(aino))

    assert response.status_code == 200
    html = response.content.decode()
    current, past = html.split('id="past-heading"')
    assert (
        current.count('data-testid="consent-current"') == 2 and past.count('data-testid="consent-past"') == 2
    )
    assert "Consent to share with Kuopion kaupunki, MLL Kuopio" in current  # organisations by name
    assert "<li>Social services</li>" in current and "<li>Health care</li>" in current
    assert "Support at home" in current and "Maija Testinen (guardian)" in current
    assert f"In force from {date_format(later.valid_from, 'SHORT_DATE_FORMAT')}" in current
    assert "until withdrawn" in current and ", social-worker" in current  # who recorded it
    assert f"/work/consents/{active.pk}/withdraw/" in current
    assert f"/work/consents/{withdrawn.pk}/withdraw/" not in html
    assert "Withdrawn" in past and "Ended" in past and "A club" in past and "An old request" in past
    assert "Aino Testinen (10 years): a guardian consents." in html
    # One logged read, of the categories shown.
    assert AccessLogEntry.objects.count() == before + 1
    read = AccessLogEntry.objects.latest("id")
    assert (read.action, read.outcome, read.record_type, read.person_id) == (
        "read",
        "allowed",
        "consent",
        aino.pk,
    )
    assert read.category == "contact,health,ngo_support,pupil_welfare,social_services"


def test_the_address_names_the_person_by_id_only(world: World, aino: Person) -> None:
    html = browser_of(world.social_worker).get(_consents_url(aino)).content.decode()
    code = compose_identity_code(aino.birth_date, 960)
    assert code not in html and code[:6] + code[7:] not in html
    assert f'href="/work/people/{aino.pk}/consents/new/"' in html


# Recording


def test_the_form_offers_the_guardians_and_says_the_rules(world: World, aino: Person) -> None:
    html = browser_of(world.social_worker).get(_new_url(aino)).content.decode()
    assert re.search(r"<fieldset[^>]*>\s*<legend>Who gave the consent:?</legend>", html)
    assert "Maija Testinen, guardian" in html
    assert "the young person themselves" not in html  # Aino is 10
    assert "A young person of 15 or over may consent alone" in html
    assert re.search(r"<legend>Information that may be shared:?</legend>", html)
    assert "Health care: the child health clinic, school health care" in html
    assert re.search(r"<legend>Organisations in the family centres&#x27; networks:?</legend>", html)
    assert f'value="{world.ngo.pk}"' in html and f'value="{world.county.pk}"' in html
    # The city runs no service in a network: it is among the other organisations (a select).
    assert re.search(rf'<option value="{world.city.pk}">Kuopion kaupunki</option>', html)
    assert '<label for="id_purpose">' in html and '<label for="id_valid_until">' in html
    assert 'type="date"' in html
    assert "id_child_heard" not in html  # not asked under 12
    assert f'value="{timezone.localdate().isoformat()}"' in html  # valid from today


def test_a_social_worker_records_a_guardians_consent(world: World, aino: Person) -> None:
    client = browser_of(world.social_worker)
    until = timezone.localdate() + dt.timedelta(days=180)
    response = client.post(
        _new_url(aino), _form(world, valid_until=until.isoformat(), other_organization=str(world.city.pk))
    )
    assert response.status_code == 302
    assert response["Location"] == _consents_url(aino)
    consent = Consent.objects.get()
    assert (consent.person, consent.given_by, consent.categories, consent.purpose) == (
        aino,
        world.mother,
        ["ngo_support", "social_services"],
        PURPOSE,
    )
    assert set(consent.organizations.all()) == {world.ngo, world.city}
    assert (consent.valid_from, consent.valid_until) == (timezone.localdate(), until)
    assert consent.recorded_by_id == world.social_worker.user_id
    assert _log(record_id=str(consent.pk)) == [("social-worker", "write", "allowed", "consent", "")]
    page = client.get(response["Location"]).content.decode()
    assert "The consent was recorded." in page and PURPOSE in page


def test_a_young_person_of_15_consents_alone_in_their_own_health_matter(world: World) -> None:
    teen = _child_on_request(world, 16, 961, "Veeti")
    client = browser_of(world.social_worker)
    html = client.get(_new_url(teen)).content.decode()
    assert "Veeti Esimerkki, the young person themselves (own matters)" in html
    assert "Veeti Esimerkki (16 years): may consent themselves in their own health care" in html
    response = client.post(
        _new_url(teen), _form(world, given_by=str(teen.pk), categories=["health"], child_heard=None)
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.given_by, consent.categories) == (teen, ["health"])


def test_a_young_person_cannot_consent_alone_to_early_education(world: World) -> None:
    teen = _child_on_request(world, 16, 962, "Veeti")
    response = browser_of(world.social_worker).post(
        _new_url(teen), _form(world, given_by=str(teen.pk), categories=["early_education"])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A child may consent alone only in their own health" in _field_error(html, "given_by")
    assert 'href="#id_given_by_0">Who gave the consent</a>' in html
    assert not Consent.objects.exists()


def test_a_child_of_12_or_over_must_be_heard_before_a_guardian_consents(world: World) -> None:
    child = _child_on_request(world, 13, 963, "Iida")
    father = Person.objects.get(given_names="Pekka")
    client = browser_of(world.social_worker)
    assert '<input type="checkbox" name="child_heard"' in client.get(_new_url(child)).content.decode()
    refused = client.post(_new_url(child), _form(world, given_by=str(father.pk)))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "A child of 12 or over must be heard before a guardian consents" in _field_error(
        html, "child_heard"
    )
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_child_heard_helptext id_child_heard_error"' in html
    )
    assert not Consent.objects.exists()
    heard = client.post(_new_url(child), _form(world, given_by=str(father.pk), child_heard="on"))
    assert heard.status_code == 302
    assert Consent.objects.get().child_heard is True


def test_a_former_guardian_is_refused_with_the_actions_message(world: World, aino: Person) -> None:
    client = browser_of(world.social_worker)
    client.get(_new_url(aino))  # the page was shown while Maija was a guardian ...
    end_guardianship(
        world.mother, aino, ended=timezone.localdate() - dt.timedelta(days=1)
    )  # ... then it ended
    response = client.post(_new_url(aino), _form(world))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        _field_error(html, "given_by") == "The person giving consent is not a current guardian of the child."
    )
    assert "Maija Testinen, guardian" not in html  # no longer offered
    assert "No guardian of Aino Testinen is registered" in html
    assert PURPOSE in html  # what was typed is kept
    assert not Consent.objects.exists()


def test_someone_who_was_never_a_guardian_is_not_accepted(world: World, aino: Person) -> None:
    neighbour = Person.objects.create(given_names="Naapuri", family_name="Testinen", birth_date=years_ago(40))
    response = browser_of(world.social_worker).post(_new_url(aino), _form(world, given_by=str(neighbour.pk)))
    assert response.status_code == 400
    assert "one of the child&#x27;s guardians or the child" in _field_error(
        response.content.decode(), "given_by"
    )
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "field", "message"),
    [
        ("+10", "+5", "valid_until", "The consent cannot end before it begins."),
        ("-30", "-1", "valid_until", "The consent would already have ended"),
        ("", "31.2.2030", "valid_until", "Give a real date: day, month and year."),
        ("tomorrow", "", "valid_from", "Give a real date: day, month and year."),
        ("", "2030-13-01", "valid_until", "Give a real date: day, month and year."),
    ],
)
def test_bad_dates_are_refused_next_to_their_field(
    world: World, aino: Person, valid_from: str, valid_until: str, field: str, message: str
) -> None:
    def day(text: str) -> str:
        if text[:1] in "+-" and text[1:].isdigit():
            return (timezone.localdate() + dt.timedelta(days=int(text))).isoformat()
        return text

    response = browser_of(world.social_worker).post(
        _new_url(aino), _form(world, valid_from=day(valid_from), valid_until=day(valid_until))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in _field_error(html, field)
    assert f'href="#id_{field}">' in html  # the summary links to the field
    assert not Consent.objects.exists()


def test_no_organisation_no_category_and_no_purpose_are_all_said_at_once(world: World, aino: Person) -> None:
    response = browser_of(world.social_worker).post(
        _new_url(aino), _form(world, organizations=[], categories=[], purpose="  ", valid_until="2030-01-31")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        _field_error(html, "organizations")
        == "Choose at least one organisation the information may be shared with."
    )
    assert _field_error(html, "categories") == "Choose at least one information category."
    assert _field_error(html, "purpose") == "Say what the information is shared for."
    assert 'href="#id_organizations_0">' in html and 'href="#id_categories_0">' in html
    assert 'value="2030-01-31"' in html
    assert re.search(rf'value="{world.mother.pk}"[^>]*checked', html)  # what was chosen is kept
    assert not Consent.objects.exists()


def test_an_unknown_category_or_organisation_is_refused(world: World, aino: Person) -> None:
    response = browser_of(world.social_worker).post(
        _new_url(aino), _form(world, categories=["everything"], organizations=[str(uuid.uuid4())])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose information categories from the list." in _field_error(html, "categories")
    assert "Choose organisations from the list." in _field_error(html, "organizations")
    assert not Consent.objects.exists()


def test_a_link_may_choose_the_organisation_and_category_and_where_to_go_back(
    world: World, aino: Person
) -> None:
    back = f"/work/referrals/new/?request={ContactRequest.objects.get(person=aino).pk}"
    client = browser_of(world.social_worker)
    html = client.get(
        _new_url(aino),
        {"organization": [str(world.ngo.pk), "junk"], "category": ["social_services", "junk"], "next": back},
    ).content.decode()
    assert re.search(rf'value="{world.ngo.pk}"[^>]*checked', html)
    assert re.search(r'value="social_services"[^>]*checked', html)
    assert not re.search(r'value="health"[^>]*checked', html)
    response = client.post(_new_url(aino), _form(world, next=back))
    assert response.status_code == 302 and response["Location"] == back


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/work/", "javascript:alert(1)"]
)
def test_it_never_sends_the_user_off_the_site(world: World, aino: Person, elsewhere: str) -> None:
    response = browser_of(world.social_worker).post(_new_url(aino), _form(world, next=elsewhere))
    assert response.status_code == 302 and response["Location"] == _consents_url(aino)


# Withdrawing


def _step_two(client: Client, request: ContactRequest, world: World) -> str:
    response = client.post(
        "/work/referrals/new/",
        {
            "request": request.pk,
            "step": "content",
            "receiver_service": world.family_friend.pk,
            "category": "ngo_support",
        },
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_withdrawal_takes_effect_at_once_and_the_next_referral_step_is_refused(
    world: World, aino: Person
) -> None:
    request = ContactRequest.objects.get(person=aino)
    client = browser_of(world.social_worker)
    assert client.post(_new_url(aino), _form(world)).status_code == 302
    consent = Consent.objects.get()
    assert "Social services: <strong>may be sent</strong> (consent)" in _step_two(client, request, world)

    confirm = client.get(f"/work/consents/{consent.pk}/withdraw/")
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "The withdrawal takes effect at once" in page and "Withdraw the consent now" in page
    assert PURPOSE in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # the confirmation page changes nothing

    done = client.post(f"/work/consents/{consent.pk}/withdraw/")
    assert done.status_code == 302 and done["Location"] == _consents_url(aino)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_recorded_by_id == world.social_worker.user_id
    assert "The consent was withdrawn." in client.get(done["Location"]).content.decode()

    step_two = _step_two(client, request, world)
    assert "Social services: may not be sent" in step_two
    assert "has not consented to a referral to this organisation" in step_two
    sent = client.post(
        "/work/referrals/new/",
        {
            "request": request.pk,
            "step": "send",
            "receiver_service": world.family_friend.pk,
            "category": "ngo_support",
            "reason": "Could a family friend visit?",
            "item_social_services": "Home visits since March.",
            "send": "now",
        },
    )
    assert sent.status_code == 400
    assert not Referral.objects.exists()
    assert _log(record_type="referral", outcome="refused")  # the refused referral is logged


def test_a_consent_is_withdrawn_once(world: World, aino: Person) -> None:
    client = browser_of(world.social_worker)
    client.post(_new_url(aino), _form(world))
    consent = Consent.objects.get()
    client.post(f"/work/consents/{consent.pk}/withdraw/")
    again = client.post(f"/work/consents/{consent.pk}/withdraw/")
    assert again.status_code == 409
    html = again.content.decode()
    assert "This consent has already been withdrawn." in html
    assert 'data-testid="nothing-to-withdraw"' in html and "Withdraw the consent now" not in html


# Who may not


def _not_found(response: Any) -> str:
    assert response.status_code == 404
    return str(response.content.decode())


def test_a_stranger_gets_the_same_404_as_for_a_missing_person_and_is_logged(
    world: World, aino: Person
) -> None:
    consent = _grant(world, [world.ngo], ["ngo_support"])
    stranger = browser_of(world.stranger)
    missing = uuid.uuid4()
    for existing, absent in (
        (_consents_url(aino), f"/work/people/{missing}/consents/"),
        (_new_url(aino), f"/work/people/{missing}/consents/new/"),
        (f"/work/consents/{consent.pk}/withdraw/", f"/work/consents/{missing}/withdraw/"),
    ):
        assert _not_found(stranger.get(existing)) == _not_found(stranger.get(absent))
        assert "Aino" not in _not_found(stranger.get(existing))
    assert _not_found(stranger.post(_new_url(aino), _form(world))) == _not_found(
        stranger.post(f"/work/people/{missing}/consents/new/", _form(world))
    )
    assert _not_found(stranger.post(f"/work/consents/{consent.pk}/withdraw/")) == _not_found(
        stranger.post(f"/work/consents/{missing}/withdraw/")
    )
    refused = AccessLogEntry.objects.filter(username="stranger")
    assert set(refused.values_list("outcome", flat=True)) == {"refused"}
    # Six reads and two writes of Aino's; three reads and two writes of nobody's.
    assert refused.filter(person_id=aino.pk, refusal="no_relation").count() == 8
    assert refused.filter(refusal="not_found", record_id=str(missing)).count() == 5
    assert Consent.objects.count() == 1
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize("garbage", ["not-a-uuid", "010203A9521", "1%27%20OR%201=1"])
def test_garbage_in_the_address_is_a_404_and_never_logged_as_typed(
    world: World, aino: Person, garbage: str
) -> None:
    client = browser_of(world.social_worker)
    assert client.get(f"/work/people/{garbage}/consents/").status_code == 404
    row = AccessLogEntry.objects.latest("id")
    assert (row.outcome, row.refusal, row.record_id) == ("refused", "not_found", "")


def test_a_manager_sees_no_consents(world: World, aino: Person) -> None:
    response = browser_of(world.manager).get(_consents_url(aino))
    assert response.status_code == 404
    assert _log(username="manager") == [("manager", "read", "refused", "consent", "role")]


def test_not_logged_in_goes_to_the_login_page(world: World, aino: Person) -> None:
    response = Client().get(_consents_url(aino))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_form_without_its_csrf_token_or_with_another_sessions_is_refused(
    world: World, aino: Person
) -> None:
    client = browser_of(world.social_worker, enforce_csrf_checks=True)
    page = client.get(_new_url(aino)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.post(_new_url(aino), _form(world)).status_code == 403
    other = Client(enforce_csrf_checks=True)
    other.get("/accounts/login/")
    forged = other.cookies["csrftoken"].value
    assert client.post(_new_url(aino), _form(world, csrfmiddlewaretoken=forged)).status_code == 403
    assert not Consent.objects.exists()
    consent = _grant(world, [world.ngo], ["ngo_support"])
    withdraw = f"/work/consents/{consent.pk}/withdraw/"
    assert client.post(withdraw).status_code == 403
    assert client.post(withdraw, {"csrfmiddlewaretoken": forged}).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# In other languages, and from the referrals pages


@pytest.mark.parametrize(
    ("language", "heading"), [("fi", "Kirjaa suostumus"), ("sv", "Registrera ett samtycke")]
)
def test_the_form_speaks_finnish_and_swedish(world: World, aino: Person, language: str, heading: str) -> None:
    html = browser_of(world.social_worker, language=language).get(_new_url(aino)).content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html


def test_the_request_page_links_to_the_familys_consents(world: World, aino: Person) -> None:
    request = ContactRequest.objects.get(person=aino)
    html = browser_of(world.social_worker).get(f"/work/requests/{request.pk}/").content.decode()
    assert f'href="/work/people/{aino.pk}/consents/?next=/work/requests/{request.pk}/"' in html


def test_step_two_of_a_referral_links_to_recording_the_missing_consent(world: World, aino: Person) -> None:
    request = ContactRequest.objects.get(person=aino)
    html = _step_two(browser_of(world.social_worker), request, world)
    link = (
        f"/work/people/{aino.pk}/consents/new/?organization={world.ngo.pk}&amp;category=social_services"
        f"&amp;next=/work/referrals/new/%3Frequest%3D{request.pk}"
    )
    assert f'href="{link}"' in html
