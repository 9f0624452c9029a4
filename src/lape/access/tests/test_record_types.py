"""The kinds of record in plain words: registered by the apps that hold them, used by the ban form and
the family's access log."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import lazystr

from lape.access.record_types import bannable_types, is_bannable, label_of, register_record_type


def test_every_app_names_its_records_when_it_starts() -> None:
    names = {name for name, _label in bannable_types()}
    assert {"contact_request", "referral", "referral_item", "child_protection_notification"} <= names
    assert {"plan_goal", "plan_action", "plan_note", "plan_meeting", "plan_voice"} <= names
    # The family's own choices and the log are never one record a ban could name.
    assert not {"access_log", "consent", "disclosure_ban", "person", "guardian_relation"} & names


def test_a_label_is_in_the_active_language_and_an_unknown_type_is_its_name() -> None:
    with translation.override("fi"):
        assert label_of("guardian_relation") == "huoltajat"
    with translation.override("en"):
        assert label_of("plan_note") == "progress note of a shared plan"
    assert label_of("health_record") == "health record"
    assert not is_bannable("health_record")


def test_a_name_cannot_be_registered_again_with_another_label() -> None:
    from lape.access.record_types import _TYPES

    register_record_type("referral", _TYPES["referral"].label, bannable=True)  # the same again: harmless
    with pytest.raises(ValueError, match="registered already"):
        register_record_type("referral", lazystr("a referral of another kind"), bannable=True)
