"""What the benchmarks that run their workers in processes of their own share.

`percentile` (nearest rank), and `run_worker`: run a command with the benchmark database's
settings (`LAPE_DATABASE_URL`, Django's settings module, the demo's insecure key unless one is set)
from the project's root, and give back what it printed, or stop with its errors.
Imported by the benchmark scripts as `harness` (they run with this folder first on the path).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def worker_env(database_url: str) -> dict[str, str]:
    """The environment of a worker on the benchmark's database."""
    return dict(
        os.environ,
        LAPE_ALLOW_INSECURE_KEY=os.environ.get("LAPE_ALLOW_INSECURE_KEY", "1"),
        LAPE_DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="lape.settings",
    )


def run_worker(args: list[str], database_url: str) -> str:
    """Run `args` on the benchmark's database; what it printed, or SystemExit with its errors."""
    done = subprocess.run(
        args, env=worker_env(database_url), cwd=ROOT, check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(args[1:3])} failed with exit status {done.returncode}")
    return done.stdout
