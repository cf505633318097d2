"""Text helpers shared by every app."""

import unicodedata

_ASCII = frozenset(map(chr, range(128)))


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: "Tapachula de Córdova" -> "tapachula de cordova".

    Used for accent-insensitive search columns that behave the same on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    if not decomposed.isascii():
        # The combining marks dropped at once when every other character is ASCII (Spanish: á, é, ñ, ü), which
        # saves a call per character on every registry entry's search text; otherwise one character at a time.
        if all(unicodedata.combining(ch) for ch in set(decomposed) - _ASCII):
            decomposed = decomposed.encode("ascii", "ignore").decode("ascii")
        else:
            decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(decomposed.casefold().split())
