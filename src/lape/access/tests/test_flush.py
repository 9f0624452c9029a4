"""A whole-database reset empties the log too, and leaves its protection in place."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands
from django.db import IntegrityError, connection

from lape.access import log
from lape.access.appendonly import trigger_names
from lape.access.decisions import Action, Basis, Decision, Target
from lape.access.models import AccessLogEntry

from .conftest import World


def test_flush_is_the_access_apps(db: None) -> None:
    assert get_commands()["flush"] == "lape.access"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_restores_its_triggers(world: World) -> None:
    triggers = trigger_names(connection)
    target = Target("health_record", "1", world.child.pk, world.county.pk, "health")
    log.append(world.nurse, Action.READ, target, Decision(allowed=True, basis=Basis.OWN_REGISTER))
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessLogEntry.objects.exists()
    assert trigger_names(connection) == triggers
    log.append(None, Action.READ, target, Decision(allowed=True, basis=Basis.OWN_REGISTER))
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_accesslogentry")
