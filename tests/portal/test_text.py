"""``fold``: lower case, accents stripped, spaces collapsed; the same result on its fast (Spanish) path."""

import unicodedata

import pytest

from portal.core.text import fold


def _one_character_at_a_time(text: str) -> str:
    """``fold`` as it was written first: every combining mark dropped, one character at a time."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "Tapachula de Córdova",
        "  Convenio   de colaboración\tentre la Secretaría y la Ciudad de México ",
        "Año NIÑO pingüino ÁÉÍÓÚ",
        "Straße Köln",  # ß is no combining mark and folds to "ss"
        "Ωμέγα Ελλάδα",  # Greek letters stay, their accents go
        "ﬁnanzas ½ ²",  # compatibility characters decompose
        "Łódź Ørsted",  # letters with no decomposition stay as they are
        "São Paulo 東京 مُحَمَّد",
    ],
)
def test_fold_is_the_same_on_either_path(text):
    assert fold(text) == _one_character_at_a_time(text)


def test_fold_strips_spanish_accents():
    assert fold("Tapachula de Córdova, PIÑA") == "tapachula de cordova, pina"
