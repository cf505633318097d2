from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.unit
def test_english_catalogue_is_complete_and_consistent():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 900
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(placeholder.findall(entry.msgid)) == set(placeholder.findall(text)), entry.msgid
