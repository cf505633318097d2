"""Typed access to the process environment, used only by ``portal.settings``."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "si", "sí"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ=None):
        self.environ = os.environ if environ is None else environ

    def str(self, name, default=""):
        value = self.environ.get(name)
        return default if value is None or value.strip() == "" else value.strip()

    def bool(self, name, default=False):
        raw = self.environ.get(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")

    def int(self, name, default=0):
        return self._number(name, default, int, "an integer")

    def float(self, name, default=0.0):
        return self._number(name, default, float, "a number")

    def _number(self, name, default, parse, what):
        raw = self.str(name)
        if not raw:
            return default
        try:
            return parse(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be {what}, got {raw!r}.") from None

    def list(self, name, default=None):
        raw = self.str(name)
        if not raw:
            return list(default or [])
        return [item.strip() for item in raw.split(",") if item.strip()]

    def choice(self, name, choices, default):
        value = self.str(name, default=default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
        return value
