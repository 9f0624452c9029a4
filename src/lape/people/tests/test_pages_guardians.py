"""The guardians page: a child's guardians, recording one (found by identity code, or registered
with the names), ending one, and what a stranger, a manager and a forged form get.

The people are the referrals tests' (a county's social worker, the Kuopio family centre, Aino (10)
and her mother Maija): the social worker's relation to Aino is a real contact request assigned to
them, answered through the referrals app's relation provider.
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

from lape.access.models import AccessLogEntry
from lape.people.identity_codes import compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import add_guardian, end_guardianship, register_person
from lape.referrals.handling import assign_request, identify_person
from lape.referrals.models import ContactRequest
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, family_asks, identified_request, membership_of, years_ago
from lape.referrals.tests.page_clients import browser_of

pytestmark = pytest.mark.django_db

# The referrals tests' world, so that the relation to a child comes from a real contact request.
world = referrals_world.world


@pytest.fixture
def aino(world: World) -> Person:
    """Aino (10), on a contact request assigned to the social worker, who identified her."""
    request = identified_request(world, worker=world.social_worker)
    assert request.person == world.child
    return world.child


def _father(age: int = 45, number: int = 931) -> tuple[Person, str]:
    """Pekka, registered with a test identity code, not yet anyone's guardian."""
    code = compose_identity_code(years_ago(age, days=10), number)
    return register_person(given_names="Pekka", family_name="Testinen", identity_code=code), code


def _url(person: Person | uuid.UUID) -> str:
    return f"/work/people/{getattr(person, 'pk', person)}/guardians/"


def _end_url(relation: GuardianRelation | uuid.UUID) -> str:
    return f"/work/guardianships/{getattr(relation, 'pk', relation)}/end/"


def _field_error(html: str, field: str) -> str:
    """The text of the error list tied to a field (its id is what aria-describedby names)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def _log(**filters: Any) -> list[tuple[str, str, str, str, str]]:
    rows = AccessLogEntry.objects.filter(**filters).order_by("id")
    return list(rows.values_list("username", "action", "outcome", "record_type", "refusal"))


def _state() -> tuple[list[tuple[Any, ...]], int]:
    """Every guardian relation as it is, and how many people are registered: what must not change."""
    relations = GuardianRelation.objects.order_by("pk").values_list(
        "pk", "guardian", "child", "started", "ended"
    )
    return list(relations), Person.objects.count()


# The list


def test_it_lists_the_guardians_now_and_the_former_ones(world: World, aino: Person) -> None:
    father, code = _father()
    add_guardian(father, aino, started=aino.birth_date)
    end_guardianship(father, aino, ended=timezone.localdate() - dt.timedelta(days=30))
    before = AccessLogEntry.objects.count()

    response = browser_of(world.social_worker).get(_url(aino))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Guardians: Aino Testinen</h1>" in html
    assert "Aino Testinen (10 years): a child, whose guardians act and consent for them." in html
    current, past = html.split('id="past-heading"')
    assert current.count('data-testid="guardian-current"') == 1 and "Maija Testinen" in current
    assert f"{date_format(aino.birth_date, 'SHORT_DATE_FORMAT')}" in current  # since her birth
    assert "none registered" in current  # Maija has no identity code on record
    assert past.count('data-testid="guardian-past"') == 1 and "Pekka Testinen" in past
    assert father.masked_identity_code() in past and code not in html  # masked, never whole
    last_day = date_format(timezone.localdate() - dt.timedelta(days=30), "SHORT_DATE_FORMAT")
    assert f"<dt>Last day</dt><dd>{last_day}</dd>" in past
    maija = GuardianRelation.objects.get(guardian=world.mother)
    assert f'href="/work/guardianships/{maija.pk}/end/"' in current and "/end/" not in past
    # One logged read of Aino's guardians.
    assert AccessLogEntry.objects.count() == before + 1
    read = AccessLogEntry.objects.latest("id")
    assert (read.action, read.outcome, read.record_type, read.person_id, read.basis) == (
        "read",
        "allowed",
        "guardian_relation",
        aino.pk,
        "own_register",
    )


def test_the_form_asks_the_code_the_names_and_the_start(world: World, aino: Person) -> None:
    html = browser_of(world.social_worker).get(_url(aino)).content.decode()
    assert '<label for="id_identity_code">' in html and 'autocomplete="off"' in html
    assert re.search(r"<fieldset>\s*<legend>A guardian not registered yet</legend>", html)
    assert '<label for="id_given_names">' in html and '<label for="id_family_name">' in html
    assert 'type="date"' in html and f'value="{timezone.localdate().isoformat()}"' in html


# Recording


def test_a_social_worker_records_a_registered_guardian_by_identity_code(world: World, aino: Person) -> None:
    father, code = _father()
    people = Person.objects.count()
    client = browser_of(world.social_worker)

    response = client.post(_url(aino), {"identity_code": code.lower(), "started": ""})

    assert response.status_code == 302 and response["Location"] == _url(aino)
    relation = GuardianRelation.objects.get(guardian=father)
    assert (relation.child, relation.started, relation.ended) == (aino, timezone.localdate(), None)
    assert Person.objects.count() == people  # found, not registered again
    write = AccessLogEntry.objects.latest("id")
    assert (write.action, write.outcome, write.record_type, write.record_id, write.person_id) == (
        "write",
        "allowed",
        "guardian_relation",
        str(relation.pk),
        aino.pk,
    )
    assert code not in write.record_id and code not in write.reason
    page = client.get(_url(aino)).content.decode()
    assert "Pekka Testinen was recorded as a guardian of Aino Testinen." in page


def test_a_guardian_not_registered_yet_is_registered_with_the_names(world: World, aino: Person) -> None:
    code = compose_identity_code(years_ago(41, days=3), 942)
    since = aino.birth_date + dt.timedelta(days=100)
    client = browser_of(world.social_worker)

    response = client.post(
        _url(aino),
        {"identity_code": code, "given_names": " Kalle  Demo ", "family_name": "Testinen", "started": since},
    )

    assert response.status_code == 302
    kalle = Person.objects.get(given_names="Kalle Demo")
    assert (kalle.family_name, kalle.birth_date, kalle.language) == ("Testinen", years_ago(41, days=3), "fi")
    assert kalle.masked_identity_code() == code[:7] + "****"
    relation = GuardianRelation.objects.get(guardian=kalle, child=aino)
    assert relation.started == since
    # The relation's row (Aino's) and the new client's own row, both writes.
    rows = AccessLogEntry.objects.filter(action="write").order_by("-id")[:2]
    assert {(r.record_type, r.record_id, r.person_id) for r in rows} == {
        ("guardian_relation", str(relation.pk), aino.pk),
        ("person", str(kalle.pk), kalle.pk),
    }


def test_an_unknown_code_without_names_asks_for_the_names_and_shows_what_was_typed(
    world: World, aino: Person
) -> None:
    code = compose_identity_code(years_ago(41), 943)
    before = _state()

    response = browser_of(world.social_worker).post(
        _url(aino), {"identity_code": code, "family_name": "Testinen", "started": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Nobody with this identity code is registered yet: give the names to register them."
        in _field_error(html, "given_names")
    )
    assert 'aria-describedby="id_given_names_helptext id_given_names_error"' in html
    assert f'value="{code}"' in html and 'value="Testinen"' in html  # shown again, on this form only
    assert _state() == before
    assert not AccessLogEntry.objects.filter(record_type__in=["guardian_relation", "person"], action="write")


def _adult_on_request(world: World) -> Person:
    """Ville (19), identified on a request assigned to the social worker: an adult, with no guardians."""
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.social_worker),
    )
    code = compose_identity_code(years_ago(19, days=20), 944)
    identify_person(
        world.social_worker, request.pk, identity_code=code, given_names="Ville", family_name="Demo"
    )
    person = ContactRequest.objects.get(pk=request.pk).person
    assert person is not None
    return person


def _bad_code(world: World) -> str:
    code = compose_identity_code(years_ago(40), 945)
    return code[:-1] + ("A" if code[-1] != "A" else "B")  # the wrong check character


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        (
            "adult_ward",
            "started",
            "Only a child (under 18) has guardians: this person is an adult on that day.",
        ),
        (
            "minor_guardian",
            "identity_code",
            "A guardian must be an adult (18 or older) when the guardianship starts.",
        ),
        ("themself", "identity_code", "A person cannot be their own guardian."),
        ("twice", "identity_code", "This person is already recorded as the child&#x27;s guardian."),
        ("before_birth", "started", "A guardianship cannot start before the child was born."),
        (
            "invalid_code",
            "identity_code",
            "The identity code&#x27;s check character (the last character) does not match",
        ),
        ("bad_date", "started", "Give a real date: day, month and year."),
        ("no_code", "identity_code", "Give the guardian&#x27;s identity code."),
    ],
)
def test_each_refusal_is_said_next_to_its_field_and_nothing_changes(
    world: World, aino: Person, case: str, field: str, message: str
) -> None:
    father, code = _father()
    child, started = aino, ""
    if case == "adult_ward":
        child = _adult_on_request(world)
    elif case == "minor_guardian":
        _teen, code = _father(age=16, number=946)
    elif case == "themself":
        code = compose_identity_code(aino.birth_date, 960)
    elif case == "twice":
        add_guardian(father, aino)
    elif case == "before_birth":
        started = (aino.birth_date - dt.timedelta(days=1)).isoformat()
    elif case == "invalid_code":
        code = _bad_code(world)
    elif case == "bad_date":
        started = "31.2.2020"
    elif case == "no_code":
        code = ""
    before = _state()
    writes = AccessLogEntry.objects.filter(action="write").count()

    response = browser_of(world.social_worker).post(
        _url(child), {"identity_code": code, "given_names": "Ella", "family_name": "Demo", "started": started}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in _field_error(html, field)
    assert f'href="#id_{field}"' in html  # listed at the top, linked to the field
    assert 'value="Ella"' in html and (not code or f'value="{code}"' in html)
    assert _state() == before
    assert AccessLogEntry.objects.filter(action="write").count() == writes


# Ending


def test_a_social_worker_ends_a_guardianship_after_a_confirmation(world: World, aino: Person) -> None:
    father, _code = _father()
    relation = add_guardian(father, aino, started=aino.birth_date)
    client = browser_of(world.social_worker)
    page = client.get(_end_url(relation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>End a guardianship</h1>" in html and "Pekka Testinen, guardian of Aino Testinen." in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert GuardianRelation.objects.get(pk=relation.pk).ended is None  # showing it changes nothing
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(_end_url(relation), {"ended": yesterday.isoformat()})

    assert response.status_code == 302 and response["Location"] == _url(aino)
    relation.refresh_from_db()
    assert relation.ended == yesterday
    write = AccessLogEntry.objects.latest("id")
    assert (write.action, write.record_type, write.record_id, write.person_id) == (
        "write",
        "guardian_relation",
        str(relation.pk),
        aino.pk,
    )
    listing = client.get(_url(aino)).content.decode()
    assert (
        f"The guardianship of Pekka Testinen ended on {date_format(yesterday, 'SHORT_DATE_FORMAT')}."
        in listing
    )
    assert "Pekka Testinen" in listing.split('id="past-heading"')[1].split('id="record-heading"')[0]


def test_a_guardianship_cannot_end_before_it_started_nor_twice(world: World, aino: Person) -> None:
    father, _code = _father()
    since = timezone.localdate() - dt.timedelta(days=10)
    relation = add_guardian(father, aino, started=since)
    client = browser_of(world.social_worker)

    response = client.post(_end_url(relation), {"ended": (since - dt.timedelta(days=1)).isoformat()})

    assert response.status_code == 400
    assert "A guardianship cannot end before it started" in _field_error(response.content.decode(), "ended")
    relation.refresh_from_db()
    assert relation.ended is None
    assert client.post(_end_url(relation), {"ended": ""}).status_code == 302  # today
    again = client.post(_end_url(relation), {"ended": ""})
    assert again.status_code == 409
    assert "The last day of this guardianship is recorded already" in again.content.decode()
    relation.refresh_from_db()
    assert relation.ended == timezone.localdate()
    shown = client.get(_end_url(relation)).content.decode()
    assert 'data-testid="nothing-to-end"' in shown and f'action="{_end_url(relation)}"' not in shown


def test_ending_an_old_guardianship_never_ends_a_newer_one(world: World, aino: Person) -> None:
    father, _code = _father()
    old = add_guardian(father, aino, started=aino.birth_date)
    end_guardianship(father, aino, ended=aino.birth_date + dt.timedelta(days=365))
    newer = add_guardian(father, aino, started=timezone.localdate() - dt.timedelta(days=5))

    response = browser_of(world.social_worker).post(_end_url(old), {"ended": ""})

    assert response.status_code == 409
    newer.refresh_from_db()
    assert newer.ended is None


# Who may not


def _not_found(response: Any) -> str:
    assert response.status_code == 404
    return str(response.content.decode())


def test_a_stranger_gets_the_same_404_as_for_a_missing_person_and_is_logged(
    world: World, aino: Person
) -> None:
    _pekka, code = _father()
    relation = GuardianRelation.objects.get(guardian=world.mother)
    stranger = browser_of(world.stranger)
    missing = uuid.uuid4()
    form = {"identity_code": code, "started": ""}
    before = _state()

    assert _not_found(stranger.get(_url(aino))) == _not_found(stranger.get(_url(missing)))
    assert _not_found(stranger.post(_url(aino), form)) == _not_found(stranger.post(_url(missing), form))
    assert _not_found(stranger.get(_end_url(relation))) == _not_found(stranger.get(_end_url(missing)))
    assert _not_found(stranger.post(_end_url(relation), {"ended": ""})) == _not_found(
        stranger.post(_end_url(missing), {"ended": ""})
    )
    assert "Aino" not in _not_found(stranger.get(_url(aino)))

    assert _state() == before
    refused = AccessLogEntry.objects.filter(username="stranger")
    assert set(refused.values_list("outcome", flat=True)) == {"refused"}
    # Aino's: three reads (the list twice, the end page) and two writes; nobody's: two of each.
    ainos = refused.filter(person_id=aino.pk, refusal="no_relation", record_type="guardian_relation")
    assert sorted(ainos.values_list("action", flat=True)) == ["read", "read", "read", "write", "write"]
    nobodys = refused.filter(refusal="not_found", record_id=str(missing))
    assert sorted(nobodys.values_list("action", flat=True)) == ["read", "read", "write", "write"]


def test_garbage_in_the_address_is_a_404_and_never_logged_as_typed(world: World, aino: Person) -> None:
    code = compose_identity_code(years_ago(40), 947)
    client = browser_of(world.social_worker)
    assert client.get(_url(code)).status_code == 404  # type: ignore[arg-type]
    row = AccessLogEntry.objects.latest("id")
    assert (row.outcome, row.refusal, row.record_id) == ("refused", "not_found", "")


def test_a_manager_sees_no_guardians(world: World, aino: Person) -> None:
    assert browser_of(world.manager).get(_url(aino)).status_code == 404
    assert _log(username="manager") == [("manager", "read", "refused", "guardian_relation", "role")]


def test_without_the_second_factor_it_asks_for_it(world: World, aino: Person) -> None:
    before = AccessLogEntry.objects.count()
    response = browser_of(world.social_worker, verified=False).get(_url(aino))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert AccessLogEntry.objects.count() == before  # nothing of Aino's was touched


def test_not_logged_in_goes_to_the_login_page(world: World, aino: Person) -> None:
    response = Client().get(_url(aino))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_form_without_its_csrf_token_is_refused(world: World, aino: Person) -> None:
    _father_person, code = _father()
    relation = GuardianRelation.objects.get(guardian=world.mother)
    client = browser_of(world.social_worker, enforce_csrf_checks=True)
    assert 'name="csrfmiddlewaretoken"' in client.get(_url(aino)).content.decode()
    before = _state()
    assert client.post(_url(aino), {"identity_code": code, "started": ""}).status_code == 403
    assert client.post(_end_url(relation), {"ended": ""}).status_code == 403
    assert _state() == before


# In other languages, and the links


@pytest.mark.parametrize(
    ("language", "heading", "legend"),
    [
        ("fi", "Huoltajat: Aino Testinen", "Huoltaja, jota ei ole vielä rekisteröity"),
        ("sv", "Vårdnadshavare: Aino Testinen", "En vårdnadshavare som inte ännu är registrerad"),
    ],
)
def test_the_page_speaks_finnish_and_swedish(
    world: World, aino: Person, language: str, heading: str, legend: str
) -> None:
    html = browser_of(world.social_worker, language=language).get(_url(aino)).content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html and f"<legend>{legend}</legend>" in html


def test_the_consent_form_without_guardians_links_here_and_back(world: World, aino: Person) -> None:
    end_guardianship(world.mother, aino, ended=timezone.localdate() - dt.timedelta(days=1))
    client = browser_of(world.social_worker)
    consent_form = f"/work/people/{aino.pk}/consents/new/"
    html = client.get(consent_form).content.decode()
    assert f'href="{_url(aino)}?next={consent_form}"' in html
    _father_person, code = _father()

    response = client.post(_url(aino), {"identity_code": code, "started": "", "next": consent_form})

    assert (
        response.status_code == 302
        and response["Location"] == f"{_url(aino)}?next=%2Fwork%2Fpeople%2F{aino.pk}%2Fconsents%2Fnew%2F"
    )
    page = client.get(response["Location"]).content.decode()
    assert f'<a href="{consent_form}">Back</a>' in page
    assert "Pekka Testinen, guardian" in client.get(consent_form).content.decode()  # now a giver


def test_it_never_sends_the_user_off_the_site(world: World, aino: Person) -> None:
    html = browser_of(world.social_worker).get(_url(aino) + "?next=https://evil.example/").content.decode()
    assert 'href="https://evil.example/"' not in html and "Back</a>" not in html


def test_the_request_page_and_the_consents_page_link_here(world: World, aino: Person) -> None:
    request = ContactRequest.objects.get(person=aino)
    client = browser_of(world.social_worker)
    html = client.get(f"/work/requests/{request.pk}/").content.decode()
    assert f'href="{_url(aino)}?next=/work/requests/{request.pk}/"' in html
    consents = client.get(f"/work/people/{aino.pk}/consents/").content.decode()
    assert f'href="{_url(aino)}?next=/work/people/{aino.pk}/consents/"' in consents
