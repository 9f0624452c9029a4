"""How fast the plan page and the family's access-log page answer beside a 10-million-row access log.

    .venv/bin/python benchmarks/plan_pages.py [--entries 200] [--log-rows 10000000]
        [--people 1000000] [--child-rows 3000] [--requests 200] [--pg URL]
        [--pg-database lape_h_plan_bench]

Issue 5's target: p95 of each page at most 150 ms. On PostgreSQL, in a fresh database (the
database `--pg-database`, created here and dropped at the end), migrated, in processes of its own:

1. Setup, through the apps' own actions: a child (Aino, 10) with two guardians; her mother's
   contact request to the county's family centre, assigned to the county's family worker, who
   identifies her and starts her plan (the relation that lets her); seven more organisations, each
   with one professional on the team (`add_member`), so 8 organisations; `--entries` entries (goals
   and notes, `record_meeting` for the coordinator) written by the 8 in turn, each in a category
   their role handles in their own register; the mother's consent shares two of those categories
   (health and pupil welfare) with the county, so the family worker reads those entries' content
   and sees the rest as headings only.
2. The access log grown to `--log-rows` rows: filler rows bulk-inserted by one
   `INSERT ... SELECT ... FROM generate_series(...)` while the log's append-only triggers are lifted
   (`lape.access.appendonly.lifted`), about `--people` other people, and `--child-rows` rows about
   Aino by her team's professionals. The filler rows are **not a valid hash chain** (their hashes
   are placeholders): this measures reading pages, not `lape verify-access-log` (access_cost.py
   does). The person index is dropped for the insert and built again after it (faster than 10
   million random inserts into it); the chain head is then set to the last row, so the pages'
   own appends chain after it; then `ANALYZE`.
3. Timing, in a new process, through the real views with Django's test client: the family
   worker's plan page `/work/plans/<id>/` (logged in with the second factor, as the page tests'
   browsers are), the mother's access-log page of Aino `/family/people/<id>/access-log/` (a family
   member's session), and the baseline `/api/hsds/` (the API root: routing, middleware, a small
   JSON body, no client data), timed in turn, request by request, `--requests` times after 20
   warm-up rounds. Prints median and p95, the ratio to the baseline, the SQL statements of one
   request of each page, and whether the target is met; then where the plan page's time goes
   (cProfile over 10 requests: reading the plan, its access decisions and log rows, the template).

This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from harness import DEFAULT_PG, ROOT, percentile, run_worker

TARGET_P95_MS = 150.0
WARMUP = 20
PERSON_INDEX = "access_log_person_at"


# ---- inside the benchmark database's own process ------------------------------------------------

# The seven organisations besides the county, and the role of each one's professional and the
# category they write in (one their role handles in its own register, lape.access.registers).
OTHERS = [
    ("Kuopion kaupunki", "municipality", "school_social_worker", "pupil_welfare"),
    ("Kuopion kaupungin varhaiskasvatus", "municipality", "early_education_teacher", "early_education"),
    ("Kuopion yliopistollinen sairaala", "wellbeing_county", "doctor_psychologist", "health"),
    ("Neuvola Kuopio", "wellbeing_county", "public_health_nurse", "health"),
    ("MLL Kuopio", "ngo", "ngo_worker", "ngo_support"),
    ("Kuopion seurakuntayhtymä", "parish", "parish_worker", "ngo_support"),
    ("Kuopion Steinerkoulu", "school", "teacher", "pupil_welfare"),
]
SHARED_WITH_COUNTY = ["health", "pupil_welfare"]


def _actor(username: str, organization: Any, role: str) -> Any:
    import datetime as dt

    from django.contrib.auth.models import User

    from lape.accounts.acting import Actor
    from lape.accounts.models import Membership

    user = User.objects.create_user(username, email=f"{username}@example.org", password=None)
    membership = Membership.objects.create(
        user=user, organization=organization, role=role, started=dt.date(2024, 1, 1)
    )
    return Actor.for_membership(membership, verified=True)


def worker_setup(entries: int) -> dict[str, Any]:
    """The child, her guardians, the plan with its team of 8 organisations and its entries."""
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # mail to memory: the request's acknowledgements go nowhere
    import datetime as dt

    from django.utils import timezone

    from lape.access.consent_actions import grant_consent
    from lape.directory.models import FamilyCentre, Organization, Service
    from lape.people.identity_codes import compose_identity_code
    from lape.people.models import GuardianRelation, Person
    from lape.people.registry import register_person
    from lape.plans.entries import add_goal, add_note, record_meeting
    from lape.plans.team import add_member, start_plan
    from lape.referrals.handling import assign_request, identify_person
    from lape.referrals.requests import submit_request

    started = time.perf_counter()
    today = timezone.localdate()
    county = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    centre = FamilyCentre.objects.create(name="Kuopion perhekeskus", coordinator=county)
    family_work = Service.objects.create(organization=county, name="Perhetyö")
    centre.services.add(family_work)
    coordinator = _actor("bench-coordinator", county, "coordinator")
    family_worker = _actor("bench-family-worker", county, "family_worker")
    born = today.replace(year=today.year - 10) - dt.timedelta(days=40)
    code = compose_identity_code(born, 960)
    child = register_person(given_names="Aino", family_name="Testinen", identity_code=code)
    mother = Person.objects.create(
        given_names="Maija", family_name="Testinen", birth_date=dt.date(1988, 3, 1)
    )
    father = Person.objects.create(
        given_names="Matti", family_name="Testinen", birth_date=dt.date(1986, 6, 1)
    )
    for guardian in (mother, father):
        GuardianRelation.objects.create(guardian=guardian, child=child, started=child.birth_date)
    request = submit_request(
        worry="Aino ei halua mennä kouluun.",
        children_ages=[10],
        language="fi",
        contact_method="phone",
        contact_name="Maija",
        contact_phone="+358 40 123 4567",
        family_centre=centre,
    ).request
    from lape.accounts.models import Membership

    assign_request(
        coordinator,
        request.pk,
        service=family_work,
        professional=Membership.objects.get(pk=family_worker.membership_id),
    )
    identify_person(family_worker, request.pk, identity_code=code)
    plan = start_plan(family_worker, child.pk, next_review_on=today + dt.timedelta(days=60))
    writers = [(family_worker, "social_services")]
    for n, (name, kind, role, category) in enumerate(OTHERS):
        organization = Organization.objects.create(name=name, kind=kind)
        actor = _actor(f"bench-{role}-{n}", organization, role)
        add_member(family_worker, plan.pk, actor.membership_id, task=f"Tehtävä {n}")
        writers.append((actor, category))
    grant_consent(
        family_worker,
        person=child,
        given_by=mother,
        organizations=[county],
        categories=SHARED_WITH_COUNTY,
        purpose="Yhteinen suunnitelma",
    )
    domains = ["safe", "healthy", "achieving", "nurtured", "active", "respected", "responsible", "included"]
    goals: dict[str, Any] = {}
    for n in range(entries):
        actor, category = writers[n % len(writers)]
        if n < len(writers):  # each organisation's first entry a goal, the rest notes on it
            goals[actor.username] = add_goal(
                actor, plan.pk, category=category, domain=domains[n], words=f"Tavoite {n}: " + "sanoja " * 20
            )
        elif actor is family_worker and n % 40 == 0:
            record_meeting(
                actor,
                plan.pk,
                category=category,
                held_on=today - dt.timedelta(days=entries - n),
                participants="Aino, Maija, Matti, tiimi",
                decisions=f"Päätös {n}: " + "sanoja " * 30,
            )
        else:
            add_note(
                actor,
                plan.pk,
                category=category,
                text=f"Merkintä {n}: " + "sanoja " * 40,
                goal_id=goals[actor.username].pk,
            )
    return {
        "seconds": time.perf_counter() - started,
        "plan": str(plan.pk),
        "child": str(child.pk),
        "mother": str(mother.pk),
        "family_worker": family_worker.username,
        "team": [
            [a.user_id, a.username, str(a.membership_id), a.role, str(a.organization_id)] for a, _c in writers
        ],
    }


_FILLER = """
    INSERT INTO access_accesslogentry (
        at, user_id, username, membership_id, role, organization_id, unit_id, record_type, record_id,
        person_id, category, action, outcome, basis, law, consent_id, refusal, reason, previous_hash, hash)
    SELECT now() - interval '730 days' + g * (interval '729 days' / %(rows)s),
        %(user_id)s, %(username)s, %(membership_id)s::uuid, %(role)s, %(organization_id)s::uuid, NULL,
        'person', '', md5((g %% %(people)s)::text)::uuid, 'contact', 'read', 'allowed', 'own_register',
        '', NULL, '', '', repeat('e', 64), 'f' || lpad(to_hex(%(offset)s + g), 63, '0')
    FROM generate_series(1, %(rows)s) AS g
"""


def worker_fill(rows: int, people: int, child_rows: int, child: str, team: list[list[Any]]) -> dict[str, Any]:
    """Grow the log to `rows` rows with filler (not a valid chain), set the chain head, ANALYZE."""
    import django

    django.setup()
    import datetime as dt
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from lape.access.appendonly import lifted
    from lape.access.models import AccessLogEntry

    started = time.perf_counter()
    existing = AccessLogEntry.objects.count()
    others = max(0, rows - existing - child_rows)
    stranger = (None, "bench-filler", "00000000-0000-0000-0000-000000000001", "social_worker")
    with transaction.atomic(), lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {PERSON_INDEX}")
        offset = 0
        while offset < others:
            batch = min(1_000_000, others - offset)
            cursor.execute(
                _FILLER,
                {
                    "rows": batch,
                    "people": people,
                    "offset": offset,
                    "user_id": stranger[0],
                    "username": stranger[1],
                    "membership_id": stranger[2],
                    "role": stranger[3],
                    "organization_id": "00000000-0000-0000-0000-000000000002",
                },
            )
            offset += batch
            print(f"  {offset:,} filler rows", file=sys.stderr, flush=True)
        # Aino's own rows: her team's reads and writes over the last year, in time order.
        rng = random.Random(5)
        now = timezone.now()
        kinds = [("plan", "contact", "read"), ("plan_note", "", "read"), ("plan_note", "", "create")]
        values = []
        for n in range(child_rows):
            user_id, username, membership_id, role, organization_id = team[rng.randrange(len(team))]
            record_type, category, action = kinds[rng.randrange(len(kinds))]
            at = now - dt.timedelta(days=365) + dt.timedelta(seconds=n * 365 * 86400 / max(1, child_rows))
            values.append(
                (
                    at,
                    user_id,
                    username,
                    membership_id,
                    role,
                    organization_id,
                    record_type,
                    child,
                    category or "social_services",
                    action,
                    "e" * 64,
                    "d" + f"{n:x}".rjust(63, "0"),
                )
            )
        cursor.executemany(
            "INSERT INTO access_accesslogentry (at, user_id, username, membership_id, role, organization_id, "
            "unit_id, record_type, record_id, person_id, category, action, outcome, basis, law, consent_id, "
            "refusal, reason, previous_hash, hash) VALUES (%s, %s, %s, %s::uuid, %s, %s::uuid, NULL, %s, '', "
            "%s::uuid, %s, %s, 'allowed', 'own_register', '', NULL, '', '', %s, %s)",
            values,
        )
        cursor.execute(f"CREATE INDEX {PERSON_INDEX} ON access_accesslogentry (person_id, at)")
        # The head names the last row, so that the pages' appends chain after it.
        cursor.execute(
            "UPDATE access_accessloghead SET (last_entry_id, last_hash) = "
            "(SELECT id, hash FROM access_accesslogentry ORDER BY id DESC LIMIT 1) WHERE id = 1"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE person_id = %s::uuid) FROM access_accesslogentry",
            [child],
        )
        total, about_child = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('access_accesslogentry'))")
        size = cursor.fetchone()[0]
    return {"seconds": time.perf_counter() - started, "rows": total, "about_child": about_child, "size": size}


# The functions whose cumulative time the profile shows: (label, file ending, function name).
PROFILED = [
    ("plan_for (reading the plan, its decisions and log rows)", "plans/reading.py", "plan_for"),
    ("  access decisions", "access/__init__.py", "decide"),
    ("    their prepared SQL (consents, relation)", "access/sql.py", "fetch_all"),
    ("  the entries and their links", "plans/reading.py", "entries_of"),
    ("  log rows appended (one statement)", "access/log.py", "append_many"),
    ("rendering the template", "django/template/loader.py", "render_to_string"),
    ("  the entries in words", "plans/views.py", "_rows"),
    ("all SQL (psycopg's execute)", "psycopg/cursor.py", "execute"),
]


def _profile(client: Any, url: str, requests: int = 10) -> dict[str, Any]:
    """Where a page's time goes: cProfile over `requests` requests, cumulative ms a request.

    The profiler slows Python (not the database) down, so read the shares, not the milliseconds.
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    if os.environ.get("LAPE_BENCH_PROFILE_OUT"):  # the whole profile, for pstats
        profiler.dump_stats(os.environ["LAPE_BENCH_PROFILE_OUT"] + url.strip("/").replace("/", "_"))
    whole = (time.perf_counter() - t0) * 1000 / requests
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for label, ending, name in PROFILED:
        found[label] = (
            sum(
                value[3]
                for (path, _line, function), value in stats.items()
                if function == name and path.endswith(ending)
            )
            * 1000
            / requests
        )
    return {"whole": whole, "parts": found}


def worker_time(requests: int, plan: str, child: str, mother: str, family_worker: str) -> dict[str, Any]:
    """Time the baseline, the plan page and the family's access-log page, in turn."""
    import django

    django.setup()
    from django.conf import settings

    # The test client's host name allowed, without setup_test_environment(): its instrumented
    # template rendering (a signal and a copy of the context for every template the page
    # includes, for the test client to collect) would add to the page's time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lape.access.models import AccessLogEntry
    from lape.accounts.acting import Actor
    from lape.accounts.family import (
        SESSION_FAMILY_PERSON,
        SESSION_FAMILY_SEEN_AT,
        SESSION_FAMILY_SIGNED_IN_AT,
    )
    from lape.accounts.models import Membership
    from lape.referrals.tests.page_clients import browser_of

    actor = Actor.for_membership(Membership.objects.get(user__username=family_worker), verified=True)
    professional = browser_of(actor, language="fi")
    family = Client(headers={"Accept-Language": "fi"})
    session = family.session
    now = timezone.now().timestamp()
    session[SESSION_FAMILY_PERSON] = mother
    session[SESSION_FAMILY_SIGNED_IN_AT] = now
    session[SESSION_FAMILY_SEEN_AT] = now
    session.save()
    anonymous = Client()
    pages = {
        "baseline /api/hsds/": (anonymous, "/api/hsds/"),
        "plan page": (professional, f"/work/plans/{plan}/"),
        "family access log": (family, f"/family/people/{child}/access-log/"),
    }
    samples: dict[str, list[float]] = {label: [] for label in pages}
    queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for label, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        queries[label] = len(captured.captured_queries)
        sizes[label] = len(response.content)
    for n in range(WARMUP + requests):
        for label, (client, url) in pages.items():
            t0 = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
            if n >= WARMUP:
                samples[label].append(elapsed)
    # Where one request's time goes: the SQL statements' own time (timed around each execution,
    # as the debug cursor rounds to milliseconds) against the whole request.
    split: dict[str, list[float]] = {}
    for label in ("plan page", "family access log"):
        client, url = pages[label]
        spent: list[float] = []

        def timed_sql(
            execute: Any, sql: str, params: Any, many: bool, context: Any, spent: list[float] = spent
        ) -> Any:
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(time.perf_counter() - t)

        last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True)[0]
        with connection.execute_wrapper(timed_sql):
            t0 = time.perf_counter()
            client.get(url)
            whole = (time.perf_counter() - t0) * 1000
        appended = AccessLogEntry.objects.filter(id__gt=last).count()
        split[label] = [whole, sum(spent) * 1000, len(spent), appended]
    return {
        "profile": _profile(professional, pages["plan page"][1]),
        "samples": samples,
        "queries": queries,
        "sizes": sizes,
        "sql_split": split,
    }


# ---- the driver -----------------------------------------------------------------------------------


def _pg_admin(args: argparse.Namespace, *statements: str) -> None:
    import psycopg

    with psycopg.connect(args.pg + "postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--log-rows", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--child-rows", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--pg-database", default="lape_h_plan_bench")
    parser.add_argument("--worker", choices=["setup", "fill", "time"], help=argparse.SUPPRESS)
    parser.add_argument("--world", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.worker == "setup":
        print(json.dumps(worker_setup(args.entries)))
        return 0
    if args.worker == "fill":
        world = json.loads(args.world)
        print(
            json.dumps(
                worker_fill(args.log_rows, args.people, args.child_rows, world["child"], world["team"])
            )
        )
        return 0
    if args.worker == "time":
        world = json.loads(args.world)
        timed = worker_time(
            args.requests, world["plan"], world["child"], world["mother"], world["family_worker"]
        )
        print(json.dumps(timed))
        return 0
    _pg_admin(args, f'DROP DATABASE IF EXISTS "{args.pg_database}"', f'CREATE DATABASE "{args.pg_database}"')
    url = args.pg + args.pg_database
    try:
        run_worker([sys.executable, "-m", "lape.cli", "migrate", "--no-input", "-v", "0"], url)
        me = [sys.executable, str(Path(__file__).resolve())]
        world = json.loads(run_worker([*me, "--worker", "setup", "--entries", str(args.entries)], url))
        print(
            f"\npostgresql: a plan of {args.entries} entries over {len(world['team'])} organisations, "
            f"written in {world['seconds']:.0f} s",
            flush=True,
        )
        sizes = [
            "--log-rows",
            str(args.log_rows),
            "--people",
            str(args.people),
            "--child-rows",
            str(args.child_rows),
        ]
        filled = json.loads(run_worker([*me, "--worker", "fill", *sizes, "--world", json.dumps(world)], url))
        print(
            f"  access log: {filled['rows']:,} rows ({filled['about_child']:,} about the child), "
            f"{filled['size']}, filled in {filled['seconds']:.0f} s",
            flush=True,
        )
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        timed = json.loads(
            run_worker(
                [*me, "--worker", "time", "--requests", str(args.requests), "--world", json.dumps(world)], url
            )
        )
        print(f"  {args.requests} requests a page after {WARMUP} warm-up (median / p95), load average {load}")
        base = timed["samples"]["baseline /api/hsds/"]
        for label, values in timed["samples"].items():
            median, p95 = statistics.median(values), percentile(values, 0.95)
            line = f"  {label:<20} {median:7.1f} / {p95:7.1f} ms"
            if not label.startswith("baseline"):
                ratio = f"{median / statistics.median(base):.0f}x / {p95 / percentile(base, 0.95):.0f}x"
                verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
                line += f"  ({ratio} the baseline; {verdict} 150 ms at p95)"
            line += f"  {timed['queries'][label]} SQL statements, {timed['sizes'][label]:,} bytes"
            print(line)
        for label, (whole, sql, statements, appended) in timed["sql_split"].items():
            print(
                f"  one {label}: {whole:.1f} ms; {statements} statements through Django's cursor took "
                f"{sql:.1f} ms; {appended} log rows appended (prepared statements, not in that time)"
            )
        profile = timed["profile"]
        print("  the plan page under cProfile, ms a request (shares matter; the profiler slows Python):")
        print(f"    {'the whole request':<56} {profile['whole']:6.1f}")
        for label, ms in profile["parts"].items():
            print(f"    {label:<56} {ms:6.1f}  ({ms / profile['whole']:.0%})")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"  load average after: {load}", flush=True)
    finally:
        _pg_admin(args, f'DROP DATABASE IF EXISTS "{args.pg_database}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
