"""The demo professionals: one for each role, in the demo organisations of Pohjois-Savo.

Loaded on `directory.signals.demo_loaded` (after the directory's demo, which makes the
organisations and the administrator and publisher logins; those get their memberships here).
Every demo professional whose role sees client data has a TOTP device with a fixed, published
secret (`demo_totp_secret`), so that anyone trying the demo can log in: add the secret to an
authenticator app, or print the current code with `lape demo-code USERNAME`. Demo only: these
passwords and secrets are public and must never be used in production.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lape.directory.demo import DEMO_LOGINS, demo_id
from lape.directory.models import Organization

from .models import Membership, Role, Unit
from .roles import needs_second_factor

DEMO_DEVICE_NAME = "LAPE demo"
DEMO_STARTED = dt.date(2024, 1, 1)

# Units: key → (organisation key, name in fi, sv, en).
DEMO_UNITS: dict[str, tuple[str, str, str, str]] = {
    "kuopio_family_centre": (
        "county",
        "Kuopion perhekeskus",
        "Familjecentret i Kuopio",
        "Kuopio Family Centre",
    ),
    "family_social_work": (
        "county",
        "Lapsiperheiden sosiaalityö, Kuopio",
        "Socialt arbete för barnfamiljer, Kuopio",
        "Social work for families with children, Kuopio",
    ),
    "child_protection": (
        "county",
        "Lastensuojelu, Kuopio",
        "Barnskyddet, Kuopio",
        "Child protection, Kuopio",
    ),
    "child_health_clinic": (
        "county",
        "Lastenneuvola, Kuopio",
        "Barnrådgivningen, Kuopio",
        "Child health clinic, Kuopio",
    ),
    "family_work": ("county", "Perhetyö, Kuopio", "Familjearbete, Kuopio", "Family work, Kuopio"),
    "pupil_welfare": (
        "county",
        "Opiskeluhuolto, Kuopio",
        "Elevhälsan, Kuopio",
        "Pupil and student welfare, Kuopio",
    ),
    "family_counselling": (
        "county",
        "Perheneuvola, Kuopio",
        "Familjerådgivningen, Kuopio",
        "Family counselling, Kuopio",
    ),
    "family_services": (
        "county",
        "Perhekeskuspalvelut",
        "Familjecentertjänster",
        "Family centre services",
    ),
    "basic_education": ("kuopio", "Perusopetus", "Grundläggande utbildning", "Basic education"),
    "early_education": ("kuopio", "Varhaiskasvatus", "Småbarnspedagogik", "Early childhood education"),
    "youth_services": ("kuopio", "Nuorisopalvelut", "Ungdomstjänster", "Youth services"),
    "mll_family_activities": ("mll_kuopio", "Perhetoiminta", "Familjeverksamhet", "Family activities"),
    "parish_family_work": (
        "parish_kuopio",
        "Lapsi- ja perhetyö",
        "Barn- och familjearbete",
        "Children and family work",
    ),
}


@dataclass(frozen=True)
class DemoMember:
    """A demo membership: whose, which role, where."""

    username: str
    role: Role
    organization: str
    unit: str | None = None


@dataclass(frozen=True)
class DemoProfessional:
    """A demo login of accounts (not one of the directory's own): username and password."""

    username: str
    password: str


# The demo professionals this app adds; the directory's demo makes admin and the publishers.
DEMO_PROFESSIONALS: tuple[DemoProfessional, ...] = (
    DemoProfessional("koordinaattori", "lape-demo-coordinator"),
    DemoProfessional("sosiaalityontekija", "lape-demo-social-worker"),
    DemoProfessional("lastensuojelu", "lape-demo-child-protection"),
    DemoProfessional("terveydenhoitaja", "lape-demo-nurse"),
    DemoProfessional("perhetyontekija", "lape-demo-family-worker"),
    DemoProfessional("kuraattori", "lape-demo-school-social-worker"),
    DemoProfessional("koulupsykologi", "lape-demo-school-psychologist"),
    DemoProfessional("opettaja", "lape-demo-teacher"),
    DemoProfessional("varhaiskasvatus", "lape-demo-early-education"),
    DemoProfessional("nuorisotyontekija", "lape-demo-youth-worker"),
    DemoProfessional("jarjestotyontekija", "lape-demo-ngo-worker"),
    DemoProfessional("seurakuntatyontekija", "lape-demo-parish-worker"),
    DemoProfessional("psykologi", "lape-demo-psychologist"),
    DemoProfessional("esihenkilo", "lape-demo-manager"),
)

# One membership for each role (the coordinator also works as a social worker: a choice to make
# after login); the directory's demo logins get theirs here too.
DEMO_MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("koordinaattori", Role.COORDINATOR, "county", "kuopio_family_centre"),
    DemoMember("koordinaattori", Role.SOCIAL_WORKER, "county", "family_social_work"),
    DemoMember("sosiaalityontekija", Role.SOCIAL_WORKER, "county", "family_social_work"),
    DemoMember("lastensuojelu", Role.CHILD_PROTECTION_WORKER, "county", "child_protection"),
    DemoMember("terveydenhoitaja", Role.PUBLIC_HEALTH_NURSE, "county", "child_health_clinic"),
    DemoMember("perhetyontekija", Role.FAMILY_WORKER, "county", "family_work"),
    DemoMember("kuraattori", Role.SCHOOL_SOCIAL_WORKER, "county", "pupil_welfare"),
    DemoMember("koulupsykologi", Role.SCHOOL_PSYCHOLOGIST, "county", "pupil_welfare"),
    DemoMember("opettaja", Role.TEACHER, "kuopio", "basic_education"),
    DemoMember("varhaiskasvatus", Role.EARLY_EDUCATION_TEACHER, "kuopio", "early_education"),
    DemoMember("nuorisotyontekija", Role.YOUTH_WORKER, "kuopio", "youth_services"),
    DemoMember("jarjestotyontekija", Role.NGO_WORKER, "mll_kuopio", "mll_family_activities"),
    DemoMember("seurakuntatyontekija", Role.PARISH_WORKER, "parish_kuopio", "parish_family_work"),
    DemoMember("psykologi", Role.DOCTOR_PSYCHOLOGIST, "county", "family_counselling"),
    DemoMember("esihenkilo", Role.MANAGER, "county", "family_services"),
    DemoMember("hyvinvointialue", Role.PUBLISHER, "county"),
    DemoMember("kuopio", Role.PUBLISHER, "kuopio"),
    DemoMember("mll", Role.PUBLISHER, "mll_kuopio"),
    DemoMember("admin", Role.ADMINISTRATOR, "county"),
)


def demo_password(username: str) -> str | None:
    """The published demo password of a demo username (ours or the directory's), else None."""
    passwords = {p.username: p.password for p in DEMO_PROFESSIONALS}
    passwords.update({login.username: login.password for login in DEMO_LOGINS})
    if username in passwords:
        return passwords[username]
    return None


def demo_totp_key(username: str) -> str:
    """The demo TOTP key (40 hex digits) of a demo username: derived from the name, so it is public."""
    return hashlib.sha256(f"lape-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_totp_secret(username: str) -> str:
    """The demo TOTP secret in base32, as an authenticator app takes it."""
    return base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode("ascii")


def demo_usernames_with_totp() -> list[str]:
    """The demo usernames that have a TOTP device: those with a role that sees client data."""
    names = {m.username for m in DEMO_MEMBERS if needs_second_factor(m.role)}
    return [p.username for p in DEMO_PROFESSIONALS if p.username in names]


def _load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for key, (org_key, fi, sv, en) in DEMO_UNITS.items():
        unit, _created = Unit.objects.update_or_create(
            pk=demo_id("unit", key),
            defaults={
                "organization": Organization.objects.get(pk=demo_id("organization", org_key)),
                "name": fi,
                "translations": {"sv": {"name": sv}, "en": {"name": en}},
            },
        )
        units[key] = unit
    return units


def _load_professionals() -> None:
    user_model = get_user_model()
    for professional in DEMO_PROFESSIONALS:
        user, created = user_model.objects.get_or_create(
            username=professional.username,
            defaults={"email": f"{professional.username}@demo.lape.example"},
        )
        if created or not user.check_password(professional.password):
            user.set_password(professional.password)
            user.save()


def _load_devices() -> None:
    user_model = get_user_model()
    for username in demo_usernames_with_totp():
        user = user_model.objects.get(username=username)
        TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
        TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": demo_totp_key(username), "confirmed": True},
        )


@transaction.atomic
def load_demo_accounts() -> int:
    """Create or update the demo units, professionals, memberships and TOTP devices; the memberships' count."""
    units = _load_units()
    _load_professionals()
    _load_devices()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={m.username for m in DEMO_MEMBERS})
    }
    count = 0
    for member in DEMO_MEMBERS:
        user = users.get(member.username)
        if user is None:  # A directory login removed by hand: nothing to attach the membership to.
            continue
        Membership.objects.update_or_create(
            pk=demo_id("membership", f"{member.username}:{member.role.value}:{member.organization}"),
            defaults={
                "user": user,
                "organization": Organization.objects.get(pk=demo_id("organization", member.organization)),
                "unit": units[member.unit] if member.unit else None,
                "role": member.role.value,
                "started": DEMO_STARTED,
                "ended": None,
            },
        )
        count += 1
    return count
