"""The access log in the back office: an administrator reads it; nobody adds, changes or deletes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.access import log
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.models import AccessLogEntry
from lape.accounts.tests.conftest import PASSWORD
from lape.accounts.tests.login_steps import log_in

from .conftest import World


def _administrator() -> User:
    return User.objects.create_superuser("administrator", password=PASSWORD)


def _admin_client() -> Client:
    """The administrator logged in through the login pages, with the authenticator code."""
    device = TOTPDevice.objects.create(user=_administrator(), name="LAPE", confirmed=True)
    client = Client(headers={"Accept-Language": "en"})
    log_in(client, "administrator", device)
    return client


def _entry(world: World) -> AccessLogEntry:
    target = Target("health_record", "1", world.child.pk, world.county.pk, "health")
    return log.append(world.nurse, Action.READ, target, Decision(allowed=True, basis=Basis.OWN_REGISTER))


def test_an_administrator_reads_the_log(world: World) -> None:
    entry = _entry(world)
    client = _admin_client()
    listing = client.get(reverse("admin:access_accesslogentry_changelist"))
    assert listing.status_code == 200
    assert "nurse" in listing.text
    detail = client.get(reverse("admin:access_accesslogentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert entry.hash in detail.text
    assert 'name="_save"' not in detail.text


def test_nobody_adds_changes_or_deletes_a_row_in_the_admin(world: World) -> None:
    entry = _entry(world)
    client = _admin_client()
    assert client.get(reverse("admin:access_accesslogentry_add")).status_code == 403
    change = reverse("admin:access_accesslogentry_change", args=[entry.pk])
    assert client.post(change, {"username": "someone-else"}).status_code == 403
    delete = reverse("admin:access_accesslogentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.post(
        reverse("admin:access_accesslogentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk]},
    )
    assert listing.status_code in {200, 302}
    assert AccessLogEntry.objects.get(pk=entry.pk).username == "nurse"


def test_a_publisher_does_not_see_the_log(world: World) -> None:
    _entry(world)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.create_user("publisher", password="not-a-real-password-3", is_staff=True))
    assert client.get(reverse("admin:access_accesslogentry_changelist")).status_code == 403


def test_an_administrator_without_the_code_is_told_how_to_give_it_and_does_not_see_the_log(
    world: World,
) -> None:
    _entry(world)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(_administrator())  # the back office's own login: the password only
    assert client.get(reverse("admin:access_accesslogentry_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).text
    assert "The access log shows only after you have given the code" in index
    assert 'href="/accounts/login/code/?next=/admin/"' in index
    assert reverse("admin:access_accesslogentry_changelist") not in index
