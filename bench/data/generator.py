"""The generator: migrate and load the reference and demo data, then write every generated table in order.

The steps share one seeded RNG where the data always did (institutions, then cases); the registry's history and
the profile skew each draw from their own seeded stream, so adding rows there never changes the cases.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.module_loading import import_string

from portal.institutions.models import Institution

from .cases import CaseWriter
from .institutions import write_institutions
from .profiles import write_profile_skew
from .registry import write_registry
from .vocabulary import BENCH_EMAIL

__all__ = ["Generator"]


def _load_demo_data() -> None:
    """``load_demo_data``; if one of its loaders fails, the others still run (the benchmark needs the accounts)."""
    try:
        call_command("load_demo_data", verbosity=0)
        return
    except Exception as exc:  # reported, then each loader is retried on its own
        print(f"WARNING: load_demo_data failed ({exc!r}); running its loaders one by one", file=sys.stderr)
    for path in settings.PORTAL_DEMO_LOADERS:
        try:
            with transaction.atomic():
                import_string(path)()
        except Exception as exc:
            print(f"WARNING: demo loader {path} failed: {exc!r}", file=sys.stderr)


class Generator:
    def __init__(self, *, agreements: int, institutions: int, registry: int, seed: int, today: dt.date):
        self.n_agreements = agreements
        self.n_institutions = institutions
        self.n_registry = registry
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)

    def run(self) -> dict:
        if connection.vendor != "postgresql":
            raise SystemExit("bench.generate needs PostgreSQL (DATABASE_URL=postgres://...)")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0)
        _load_demo_data()
        if Institution.objects.filter(email=BENCH_EMAIL).exists():
            raise SystemExit("The database already has generated data; generate into a fresh one (--recreate).")
        print(f"migrated and loaded reference/demo data in {time.monotonic() - started:.1f} s")
        gc.disable()  # millions of small tuples: the cyclic collector only slows the load down
        try:
            step = time.monotonic()
            offices = write_institutions(rng=self.rng, n=self.n_institutions, now=self.now)
            print(f"institutions and users in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            cases = CaseWriter(
                rng=self.rng,
                now=self.now,
                institutions=offices["institutions"],
                cja_user=offices["cja_user"],
                dgcp_user=offices["dgcp_user"],
            ).write(self.n_agreements)
            print(f"cases in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            registry = write_registry(n=self.n_registry, seed=self.seed, today=self.today)
            print(f"{self.n_registry} imported registry entries in {time.monotonic() - step:.1f} s")
            step = time.monotonic()
            skew = write_profile_skew(seed=self.seed)
            print(f"profile skew {skew} in {time.monotonic() - step:.1f} s")
        finally:
            gc.enable()
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.monotonic() - step:.1f} s")
        return {
            "expected": {
                "agreements": self.n_agreements,
                "agreement_ids": cases["agreement_ids"],
                "institutions": offices["counts"]["institutions"],
                "status_counts": cases["status_counts"],
                "registry": self.n_registry,
                "registry_first_id": registry["first_id"],
                "profile_skew": skew,
            }
        }
