"""Reference vocabulary of the agreements app (also created by migration 0002; reloaded after flushes)."""

from .choices import Theme as ThemeChoice
from .models import Theme


def load() -> dict:
    Theme.objects.bulk_create([Theme(key=key) for key in ThemeChoice.values], ignore_conflicts=True)
    return {"themes": len(ThemeChoice.values)}
