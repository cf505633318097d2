"""Text helpers shared by every app."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: "Tapachula de Córdova" -> "tapachula de cordova".

    Used for accent-insensitive search columns that behave the same on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
