"""Sealing: identity codes are stored encrypted, found by a keyed hash, and survive a key rotation."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from lape.people.checks import identity_code_keys
from lape.people.models import Person
from lape.people.registry import find_by_identity_code, open_identity_code, register_person
from lape.people.sealing import (
    INSECURE_KEY_ID,
    SealedValueError,
    generate_key,
    key_ring,
    lookup_hash,
    seal,
    unseal,
)

LUMI = "010213A904S"  # a synthetic 12-year-old: individual number 904


def _key(byte: int) -> str:
    return base64.b64encode(bytes([byte]) * 32).decode()


@pytest.fixture
def keys(settings: Any) -> Any:
    """Configured keys as an operator sets them: one sealing key and a separate lookup key."""
    settings.IDENTITY_CODE_KEYS = f"2025a:{_key(1)}"
    settings.IDENTITY_CODE_LOOKUP_KEY = _key(9)
    settings.IDENTITY_CODE_INSECURE_KEYS = False
    return settings


def _raw_rows() -> str:
    """Every person row exactly as the database holds it, every column as text."""
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - the table name is ours
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_it_opens_what_it_sealed(keys: Any) -> None:
    person_id = uuid.uuid4()
    sealed = seal(LUMI, person_id)
    assert sealed.startswith("2025a:")
    assert LUMI not in sealed
    assert unseal(sealed, person_id) == LUMI


def test_it_seals_the_same_code_differently_each_time(keys: Any) -> None:
    person_id = uuid.uuid4()
    assert seal(LUMI, person_id) != seal(LUMI, person_id)


def test_it_refuses_a_sealed_code_copied_onto_another_person(keys: Any) -> None:
    sealed = seal(LUMI, uuid.uuid4())
    with pytest.raises(SealedValueError):
        unseal(sealed, uuid.uuid4())


def test_it_refuses_an_altered_sealed_code(keys: Any) -> None:
    person_id = uuid.uuid4()
    key_id, _sep, payload = seal(LUMI, person_id).partition(":")
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(SealedValueError):
        unseal(f"{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", person_id)


def test_it_gives_a_different_lookup_hash_under_a_different_lookup_key(keys: Any) -> None:
    first = lookup_hash(LUMI)
    keys.IDENTITY_CODE_LOOKUP_KEY = _key(10)
    assert lookup_hash(LUMI) != first
    assert len(first) == 64


def test_it_hashes_the_normalised_code(keys: Any) -> None:
    assert lookup_hash(" 010213a904s ") == lookup_hash(LUMI)


def test_it_refuses_to_seal_without_keys_outside_demo_mode(settings: Any) -> None:
    settings.IDENTITY_CODE_KEYS = ""
    settings.IDENTITY_CODE_LOOKUP_KEY = ""
    settings.IDENTITY_CODE_INSECURE_KEYS = False
    with pytest.raises(ImproperlyConfigured, match="LAPE_IDENTITY_CODE_KEYS"):
        seal(LUMI, uuid.uuid4())


def test_it_uses_marked_development_keys_in_demo_mode(settings: Any) -> None:
    settings.IDENTITY_CODE_KEYS = ""
    settings.IDENTITY_CODE_LOOKUP_KEY = ""
    settings.IDENTITY_CODE_INSECURE_KEYS = True
    ring = key_ring()
    assert ring.insecure is True
    assert seal(LUMI, uuid.uuid4()).startswith(f"{INSECURE_KEY_ID}:")


@pytest.mark.parametrize(
    ("keys_text", "lookup", "problem"),
    [
        ("2025a", _key(9), "id:base64key"),
        ("2025a:not base64!", _key(9), "not base64"),
        (f"2025a:{base64.b64encode(b'short').decode()}", _key(9), "not 32 bytes"),
        (f"a:{_key(1)},a:{_key(2)}", _key(9), "twice"),
        (f"2025a:{_key(1)}", "", "LOOKUP_KEY is empty"),
        (f"2025a:{_key(1)}", _key(1), "must not be one of the encryption keys"),
        (f"2025a:{_key(1)}", base64.b64encode(b"x" * 16).decode(), "at least 32 bytes"),
    ],
)
def test_it_says_what_is_wrong_with_the_keys(
    settings: Any, keys_text: str, lookup: str, problem: str
) -> None:
    settings.IDENTITY_CODE_KEYS = keys_text
    settings.IDENTITY_CODE_LOOKUP_KEY = lookup
    with pytest.raises(ImproperlyConfigured, match=problem):
        key_ring()


def test_it_generates_keys_the_configuration_accepts(settings: Any) -> None:
    settings.IDENTITY_CODE_KEYS = f"k1:{generate_key()}"
    settings.IDENTITY_CODE_LOOKUP_KEY = generate_key()
    assert key_ring().current_key_id == "k1"


@pytest.mark.django_db
def test_it_never_writes_the_plain_code_to_the_database(keys: Any) -> None:
    person = register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    row = _raw_rows()
    assert LUMI not in row
    assert LUMI[7:] not in row  # not even the individual number and check character together
    assert person.identity_code_masked in row  # the masked form is stored, and only that
    assert open_identity_code(Person.objects.get(pk=person.pk)) == LUMI


@pytest.mark.django_db
def test_it_finds_a_person_by_code_through_the_lookup_hash(keys: Any) -> None:
    person = register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    assert find_by_identity_code(LUMI.lower()) == person
    assert find_by_identity_code("010213A905T") is None


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_identity_code_keys", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_reseals_every_code_with_the_newest_key(keys: Any) -> None:
    person = register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    old_sealed = Person.objects.get(pk=person.pk).identity_code_sealed
    # The operator puts a new key first and keeps the old one so that it still opens.
    keys.IDENTITY_CODE_KEYS = f"2026a:{_key(2)},2025a:{_key(1)}"
    output = _rotate()
    assert "2026a" in output
    stored = Person.objects.get(pk=person.pk)
    assert stored.identity_code_sealed.startswith("2026a:")
    assert stored.identity_code_sealed != old_sealed
    assert "2025a" in output.splitlines()[-1]  # the old key can now be removed
    # With the old key gone, the code still opens and is still found.
    keys.IDENTITY_CODE_KEYS = f"2026a:{_key(2)}"
    assert open_identity_code(stored) == LUMI
    assert find_by_identity_code(LUMI) == stored


@pytest.mark.django_db
def test_it_rehashes_every_code_with_a_new_lookup_key(keys: Any) -> None:
    person = register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    keys.IDENTITY_CODE_LOOKUP_KEY = _key(11)
    assert find_by_identity_code(LUMI) is None  # the old hashes do not match the new key
    _rotate()
    assert find_by_identity_code(LUMI) == person


@pytest.mark.django_db
def test_it_changes_nothing_when_one_code_does_not_open(keys: Any) -> None:
    first = register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    second = register_person(given_names="Eino Demo", family_name="Testinen", identity_code="010125A9053")
    # A row whose sealed value was moved from another person's row does not open.
    Person.objects.filter(pk=second.pk).update(identity_code_sealed=first.identity_code_sealed)
    before = sorted(Person.objects.values_list("identity_code_sealed", "identity_code_lookup"))
    keys.IDENTITY_CODE_KEYS = f"2026a:{_key(2)},2025a:{_key(1)}"
    keys.IDENTITY_CODE_LOOKUP_KEY = _key(12)
    with pytest.raises(CommandError, match="Nothing was changed"):
        _rotate()
    assert sorted(Person.objects.values_list("identity_code_sealed", "identity_code_lookup")) == before


@pytest.mark.django_db
def test_it_refuses_to_rotate_when_an_old_key_was_removed_too_early(keys: Any) -> None:
    register_person(given_names="Lumi Demo", family_name="Testinen", identity_code=LUMI)
    before = list(Person.objects.values_list("identity_code_sealed", flat=True))
    keys.IDENTITY_CODE_KEYS = f"2026a:{_key(2)}"
    with pytest.raises(CommandError, match="not configured"):
        _rotate()
    assert list(Person.objects.values_list("identity_code_sealed", flat=True)) == before


def test_it_reports_the_keys_in_the_deploy_check(settings: Any) -> None:
    settings.IDENTITY_CODE_KEYS = ""
    settings.IDENTITY_CODE_LOOKUP_KEY = ""
    settings.IDENTITY_CODE_INSECURE_KEYS = True
    assert [m.id for m in identity_code_keys()] == ["people.W001"]
    settings.IDENTITY_CODE_INSECURE_KEYS = False
    assert [m.id for m in identity_code_keys()] == ["people.E001"]
    settings.IDENTITY_CODE_KEYS = f"2025a:{_key(1)}"
    settings.IDENTITY_CODE_LOOKUP_KEY = _key(9)
    assert identity_code_keys() == []


def test_it_reads_the_keys_from_files_named_in_the_environment(tmp_path: Path) -> None:
    # A container secret or systemd credential: the variable names a file that holds the key.
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"2025a:{_key(1)}\n", encoding="utf-8")
    lookup_file = tmp_path / "lookup"
    lookup_file.write_text(_key(9), encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "LAPE_ALLOW_INSECURE_KEY": "1",
        "LAPE_VAR_DIR": str(tmp_path),
        "LAPE_IDENTITY_CODE_KEYS_FILE": str(keys_file),
        "LAPE_IDENTITY_CODE_LOOKUP_KEY_FILE": str(lookup_file),
    }
    script = "import lape.settings as s; print(s.IDENTITY_CODE_KEYS); print(s.IDENTITY_CODE_LOOKUP_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [f"2025a:{_key(1)}", _key(9)]
