"""The disclosure-ban pages: a person's bans, recording one (what it covers, who asks, errors shown
again), lifting one (at once), and what a stranger, a role without client data and a forged form get.

The people are the referrals tests' (as in test_pages_consent): the social worker's relation to
Aino (10) is a real contact request assigned to them; Maija is her guardian.
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

from lape.access import decide
from lape.access.ban_actions import lift_ban, set_ban
from lape.access.consent_actions import grant_consent
from lape.access.decisions import Action, Basis, Refusal, Target
from lape.access.models import AccessLogEntry, DisclosureBan
from lape.people.models import Person
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, identified_request, years_ago
from lape.referrals.tests.page_clients import browser_of

from .conftest import Team

pytestmark = pytest.mark.django_db

world = referrals_world.world


@pytest.fixture
def aino(world: World) -> Person:
    """Aino (10), on a contact request assigned to the social worker, who identified her."""
    request = identified_request(world, worker=world.social_worker)
    assert request.person == world.child
    return world.child


def _bans_url(person: Person) -> str:
    return f"/work/people/{person.pk}/bans/"


def _new_url(person: Person) -> str:
    return f"/work/people/{person.pk}/bans/new/"


def _lift_url(ban: DisclosureBan) -> str:
    return f"/work/bans/{ban.pk}/lift/"


def _form(world: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "set_by": str(world.mother.pk),
        "scope": "organization",
        "organization": str(world.county.pk),
        "service": "",
        "record_type": "",
        "record_id": "",
        "categories": ["health"],
        "valid_from": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _field_error(html: str, field: str) -> str:
    """The text of the error list tied to a field (its id is what aria-describedby names)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def _ban(world: World, **scope: Any) -> DisclosureBan:
    """Maija's ban on Aino's information, recorded by the social worker."""
    scope.setdefault("scope", "organization")
    if scope["scope"] == "organization":
        scope.setdefault("organization", world.county)
    return set_ban(world.social_worker, person=world.child, set_by=world.mother, **scope)


def _not_found(response: Any) -> str:
    assert response.status_code == 404
    return str(response.content.decode())


# The list


def test_it_lists_the_bans_in_force_and_those_lifted(world: World, aino: Person) -> None:
    today = timezone.localdate()
    county = _ban(world, categories=["health"])
    later = _ban(world, scope="service", service=world.family_friend, valid_from=today + dt.timedelta(days=7))
    lifted = _ban(world, scope="record", record_type="referral", record_id="4f1c")
    lift_ban(world.social_worker, lifted.pk, lifted_by=world.mother)
    before = AccessLogEntry.objects.count()

    response = browser_of(world.social_worker).get(_bans_url(aino))

    assert response.status_code == 200
    html = response.content.decode()
    current, past = html.split('id="past-heading"')
    assert current.count('data-testid="ban-current"') == 2 and past.count('data-testid="ban-past"') == 1
    assert "The records of Pohjois-Savon hyvinvointialue" in current and "<li>Health care</li>" in current
    assert "The records of the service Perhekummitoiminta (MLL Kuopio)" in current
    assert "Every category" in current  # the service's ban lists none
    assert f"In force from {date_format(later.valid_from, 'SHORT_DATE_FORMAT')}" in current
    assert "Maija Testinen (guardian)" in current and ", social-worker" in current
    assert f"/work/bans/{county.pk}/lift/" in current and f"/work/bans/{later.pk}/lift/" in current
    assert f"/work/bans/{lifted.pk}/lift/" not in html
    assert "One record: referral 4f1c" in past and "asked by Maija Testinen" in past
    # One logged read, of the categories the bans shown cover (the service's covers every one).
    assert AccessLogEntry.objects.count() == before + 1
    read = AccessLogEntry.objects.latest("id")
    assert (read.action, read.outcome, read.record_type, read.person_id) == (
        "read",
        "allowed",
        "disclosure_ban",
        aino.pk,
    )
    assert read.category.split(",") == sorted(
        [
            "pupil_welfare",
            "early_education",
            "health",
            "social_services",
            "child_protection",
            "ngo_support",
            "contact",
        ]
    )


def test_a_person_without_bans_is_a_read_of_no_category(world: World, aino: Person) -> None:
    assert (
        "No disclosure ban is in force."
        in browser_of(world.social_worker).get(_bans_url(aino)).content.decode()
    )
    read = AccessLogEntry.objects.latest("id")
    assert (read.record_type, read.outcome, read.category) == ("disclosure_ban", "allowed", "")


def test_the_consents_page_links_to_the_bans_and_back(world: World, aino: Person) -> None:
    client = browser_of(world.social_worker)
    assert (
        f'href="/work/people/{aino.pk}/bans/"'
        in client.get(f"/work/people/{aino.pk}/consents/").content.decode()
    )
    assert f'href="/work/people/{aino.pk}/consents/"' in client.get(_bans_url(aino)).content.decode()


# Recording


def test_the_form_offers_the_guardians_the_scopes_and_the_categories(world: World, aino: Person) -> None:
    html = browser_of(world.social_worker).get(_new_url(aino)).content.decode()
    assert re.search(r"<fieldset[^>]*>\s*<legend>Who asks for the ban:?</legend>", html)
    assert "Maija Testinen, guardian" in html and "The same rules hold for disclosure bans." in html
    assert re.search(r"<legend>What the ban covers:?</legend>", html)
    assert re.search(r"<legend>Information the ban covers:?</legend>", html)
    assert "None chosen: every category." in html
    assert re.search(rf'<option value="{world.county.pk}">Pohjois-Savon hyvinvointialue</option>', html)
    assert re.search(
        rf'<option value="{world.family_friend.pk}">MLL Kuopio – Perhekummitoiminta</option>', html
    )
    assert '<option value="contact_request">contact request</option>' in html
    assert '<label for="id_record_id">' in html and 'type="date"' in html
    assert "id_child_heard" not in html  # not asked under 12


def test_a_social_worker_records_a_guardians_ban_on_a_service(world: World, aino: Person, team: Team) -> None:
    client = browser_of(world.social_worker)
    response = client.post(
        _new_url(aino),
        _form(world, scope="service", service=str(world.family_work.pk), organization="", categories=[]),
    )
    assert response.status_code == 302 and response["Location"] == _bans_url(aino)
    ban = DisclosureBan.objects.get()
    assert (ban.person, ban.set_by, ban.scope, ban.service, ban.organization, ban.categories) == (
        aino,
        world.mother,
        "service",
        world.family_work,
        None,
        [],
    )
    assert (ban.valid_from, ban.recorded_by_id) == (timezone.localdate(), world.social_worker.user_id)
    write = AccessLogEntry.objects.get(record_id=str(ban.pk))
    assert (write.action, write.outcome, write.record_type) == ("write", "allowed", "disclosure_ban")
    assert "The disclosure ban was recorded." in client.get(response["Location"]).content.decode()
    # And the decision keeps to it: the NGO's worker reads the family work's records on consent no more.
    grant_consent(
        world.social_worker,
        person=aino,
        given_by=world.mother,
        organizations=[world.ngo],
        categories=["social_services"],
        purpose="A family friend",
    )
    record = Target(
        "referral", str(uuid.uuid4()), aino.pk, world.county.pk, "social_services", world.family_work.pk
    )
    elsewhere = Target("referral", str(uuid.uuid4()), aino.pk, world.county.pk, "social_services")
    team.add(world.ngo_worker, aino)
    assert decide(world.ngo_worker, Action.READ, record).reason == Refusal.BAN
    assert decide(world.ngo_worker, Action.READ, elsewhere).basis == Basis.CONSENT


def test_a_link_may_choose_one_record(world: World, aino: Person) -> None:
    record_id = str(uuid.uuid4())
    url = f"{_new_url(aino)}?record_type=contact_request&record_id={record_id}"
    html = browser_of(world.social_worker).get(url).content.decode()
    assert re.search(r'<input type="radio" name="scope" value="record"[^>]*checked', html)
    assert '<option value="contact_request" selected>' in html and f'value="{record_id}"' in html
    ignored = browser_of(world.social_worker).get(f"{_new_url(aino)}?record_type=horoscope&record_id=1")
    assert "checked" not in ignored.content.decode().split('name="scope"')[1].split("</fieldset>")[0]


def test_what_a_scope_needs_is_said_next_to_its_field_and_what_was_typed_is_kept(
    world: World, aino: Person
) -> None:
    response = browser_of(world.social_worker).post(
        _new_url(aino), _form(world, scope="service", organization="", categories=["health", "pupil_welfare"])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, "service") == "Choose the service whose records the ban covers."
    assert 'href="#id_service"' in html  # the summary links to the field
    assert re.search(r'value="pupil_welfare"[^>]*checked', html) and re.search(
        r'value="health"[^>]*checked', html
    )
    assert not DisclosureBan.objects.exists()


def test_nothing_chosen_is_said_at_once(world: World, aino: Person) -> None:
    response = browser_of(world.social_worker).post(_new_url(aino), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, "set_by") == "Choose who asks for it."
    assert _field_error(html, "scope") == "Choose what the ban covers."
    assert 'href="#id_set_by_0"' in html and 'href="#id_scope_0"' in html
    assert not DisclosureBan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"valid_from": "2020-01-01"}, "valid_from", "A ban cannot begin in the past"),
        ({"valid_from": "31.2.2030"}, "valid_from", "Give a real date"),
        ({"scope": "record", "record_type": "referral", "record_id": ""}, "record_id", "Give the identifier"),
        ({"scope": "everything"}, "scope", "Choose what the ban covers from the list."),
        ({"categories": ["horoscope"]}, "categories", "Choose information categories from the list."),
        ({"organization": str(uuid.uuid4())}, "organization", "Choose an organisation from the list."),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    world: World, aino: Person, changes: dict[str, Any], field: str, message: str
) -> None:
    response = browser_of(world.social_worker).post(_new_url(aino), _form(world, **changes))
    assert response.status_code == 400
    assert message in _field_error(response.content.decode(), field)
    assert not DisclosureBan.objects.exists()


def test_a_child_under_15_cannot_ask_alone_and_the_page_says_why(world: World, aino: Person) -> None:
    response = browser_of(world.social_worker).post(_new_url(aino), _form(world, set_by=str(aino.pk)))
    assert response.status_code == 400
    assert "A child under 15 cannot set or lift this ban alone" in _field_error(
        response.content.decode(), "set_by"
    )
    assert not DisclosureBan.objects.exists()


# Lifting


def test_lifting_takes_effect_at_once(world: World, aino: Person, team: Team) -> None:
    grant_consent(
        world.social_worker,
        person=aino,
        given_by=world.mother,
        organizations=[world.city],
        categories=["social_services"],
        purpose="School and family work together",
    )
    ban = _ban(world)
    record = Target("record", str(uuid.uuid4()), aino.pk, world.county.pk, "social_services")
    reader = world.school_social_worker
    team.add(reader, aino)
    assert decide(reader, Action.READ, record).reason == Refusal.BAN
    client = browser_of(world.social_worker)
    page = client.get(_lift_url(ban)).content.decode()
    assert "Lifting takes effect at once" in page and "Maija Testinen, guardian" in page
    response = client.post(_lift_url(ban), {"lifted_by": str(world.mother.pk)})
    assert response.status_code == 302 and response["Location"] == _bans_url(aino)
    assert decide(reader, Action.READ, record).basis == Basis.CONSENT
    ban.refresh_from_db()
    assert (ban.lifted_by, ban.lift_recorded_by_id) == (world.mother, world.social_worker.user_id)
    assert ban.lifted_at is not None and ban.lifted_at <= timezone.now()


def test_lifting_asks_who_asks_and_a_ban_is_lifted_once(world: World, aino: Person) -> None:
    ban = _ban(world)
    client = browser_of(world.social_worker)
    response = client.post(_lift_url(ban), {})
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "lifted_by") == "Choose who asks for it."
    assert client.post(_lift_url(ban), {"lifted_by": str(world.mother.pk)}).status_code == 302
    again = client.post(_lift_url(ban), {"lifted_by": str(world.mother.pk)})
    assert again.status_code == 409
    assert "This ban has already been lifted." in again.content.decode()
    assert 'data-testid="nothing-to-lift"' in client.get(_lift_url(ban)).content.decode()
    writes = AccessLogEntry.objects.filter(record_id=str(ban.pk), action="write")
    assert writes.count() == 2  # set and lifted, nothing for the second try


def test_a_young_person_of_15_lifts_their_own_health_ban(world: World) -> None:
    request = identified_request(world, worker=world.social_worker)
    teen = Person.objects.create(given_names="Eetu", family_name="Esimerkki", birth_date=years_ago(16))
    # Eetu's relation: the request is re-identified as his (the social worker's own request).
    request.person = teen
    request.save(update_fields=["person"])
    ban = set_ban(
        world.social_worker,
        person=teen,
        set_by=teen,
        scope="organization",
        organization=world.city,
        categories=["health"],
    )
    client = browser_of(world.social_worker)
    assert "Eetu Esimerkki, the young person themselves" in client.get(_lift_url(ban)).content.decode()
    assert client.post(_lift_url(ban), {"lifted_by": str(teen.pk)}).status_code == 302


# Who may see the pages


def test_a_stranger_gets_the_same_404_as_for_a_missing_person_and_is_logged(
    world: World, aino: Person
) -> None:
    ban = _ban(world)
    stranger = browser_of(world.stranger)
    missing = uuid.uuid4()
    for existing, absent in (
        (_bans_url(aino), f"/work/people/{missing}/bans/"),
        (_new_url(aino), f"/work/people/{missing}/bans/new/"),
        (_lift_url(ban), f"/work/bans/{missing}/lift/"),
    ):
        assert _not_found(stranger.get(existing)) == _not_found(stranger.get(absent))
        assert "Aino" not in _not_found(stranger.get(existing))
    assert _not_found(stranger.post(_new_url(aino), _form(world))) == _not_found(
        stranger.post(f"/work/people/{missing}/bans/new/", _form(world))
    )
    lift = {"lifted_by": str(world.mother.pk)}
    assert _not_found(stranger.post(_lift_url(ban), lift)) == _not_found(
        stranger.post(f"/work/bans/{missing}/lift/", lift)
    )
    refused = AccessLogEntry.objects.filter(username="stranger")
    assert set(refused.values_list("outcome", flat=True)) == {"refused"}
    assert refused.filter(person_id=aino.pk, refusal="no_relation").count() == 8
    assert refused.filter(refusal="not_found", record_id=str(missing)).count() == 5
    assert DisclosureBan.objects.count() == 1
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_a_manager_sees_no_bans(world: World, aino: Person) -> None:
    assert browser_of(world.manager).get(_bans_url(aino)).status_code == 404
    row = AccessLogEntry.objects.latest("id")
    assert (row.username, row.outcome, row.record_type, row.refusal) == (
        "manager",
        "refused",
        "disclosure_ban",
        "role",
    )


def test_not_logged_in_goes_to_the_login_page(world: World, aino: Person) -> None:
    response = Client().get(_bans_url(aino))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_form_without_its_csrf_token_or_with_another_sessions_is_refused(
    world: World, aino: Person
) -> None:
    client = browser_of(world.social_worker, enforce_csrf_checks=True)
    assert 'name="csrfmiddlewaretoken"' in client.get(_new_url(aino)).content.decode()
    assert client.post(_new_url(aino), _form(world)).status_code == 403
    other = Client(enforce_csrf_checks=True)
    other.get("/accounts/login/")
    forged = other.cookies["csrftoken"].value
    assert client.post(_new_url(aino), _form(world, csrfmiddlewaretoken=forged)).status_code == 403
    assert not DisclosureBan.objects.exists()
    ban = _ban(world)
    lift = {"lifted_by": str(world.mother.pk)}
    assert client.post(_lift_url(ban), lift).status_code == 403
    assert client.post(_lift_url(ban), {**lift, "csrfmiddlewaretoken": forged}).status_code == 403
    ban.refresh_from_db()
    assert ban.lifted_at is None


@pytest.mark.parametrize(
    ("language", "heading", "listing"),
    [
        ("fi", "Kirjaa luovutuskielto", "Luovutuskiellot: Aino Testinen"),
        ("sv", "Registrera ett utlämningsförbud", "Utlämningsförbud: Aino Testinen"),
    ],
)
def test_the_pages_speak_finnish_and_swedish(
    world: World, aino: Person, language: str, heading: str, listing: str
) -> None:
    client = browser_of(world.social_worker, language=language)
    html = client.get(_new_url(aino)).content.decode()
    assert f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html
    assert f"<h1>{listing}</h1>" in client.get(_bans_url(aino)).content.decode()
