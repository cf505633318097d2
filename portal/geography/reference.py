"""Loads the 32 states and 2,478 municipalities (Fuente: INEGI) idempotently."""

import csv
from pathlib import Path

from portal.core.text import fold

from .models import Municipality, State

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"
COMMON_NAMES_FILE = Path(__file__).resolve().parent / "data" / "common_names.csv"


def read_common_names(path: Path = COMMON_NAMES_FILE) -> dict[str, str]:
    """``{inegi_code: common name}`` for the municipalities people call otherwise ("08037" → "Ciudad Juárez")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["inegi_code"]: row["common_name"].strip() for row in csv.DictReader(handle)}


# Short names and ISO 3166-2:MX codes; the official names come from INEGI's file.
STATE_EXTRAS = {
    "01": ("Aguascalientes", "MX-AGU"),
    "02": ("Baja California", "MX-BCN"),
    "03": ("Baja California Sur", "MX-BCS"),
    "04": ("Campeche", "MX-CAM"),
    "05": ("Coahuila", "MX-COA"),
    "06": ("Colima", "MX-COL"),
    "07": ("Chiapas", "MX-CHP"),
    "08": ("Chihuahua", "MX-CHH"),
    "09": ("Ciudad de México", "MX-CMX"),
    "10": ("Durango", "MX-DUR"),
    "11": ("Guanajuato", "MX-GUA"),
    "12": ("Guerrero", "MX-GRO"),
    "13": ("Hidalgo", "MX-HID"),
    "14": ("Jalisco", "MX-JAL"),
    "15": ("Estado de México", "MX-MEX"),
    "16": ("Michoacán", "MX-MIC"),
    "17": ("Morelos", "MX-MOR"),
    "18": ("Nayarit", "MX-NAY"),
    "19": ("Nuevo León", "MX-NLE"),
    "20": ("Oaxaca", "MX-OAX"),
    "21": ("Puebla", "MX-PUE"),
    "22": ("Querétaro", "MX-QUE"),
    "23": ("Quintana Roo", "MX-ROO"),
    "24": ("San Luis Potosí", "MX-SLP"),
    "25": ("Sinaloa", "MX-SIN"),
    "26": ("Sonora", "MX-SON"),
    "27": ("Tabasco", "MX-TAB"),
    "28": ("Tamaulipas", "MX-TAM"),
    "29": ("Tlaxcala", "MX-TLA"),
    "30": ("Veracruz", "MX-VER"),
    "31": ("Yucatán", "MX-YUC"),
    "32": ("Zacatecas", "MX-ZAC"),
}


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load() -> dict:
    rows = read_rows()
    common_names = read_common_names()
    states: dict[str, State] = {}
    for row in rows:
        code = row["state_code"]
        if code not in states:
            short_name, iso_code = STATE_EXTRAS[code]
            states[code] = State(code=code, name=row["state_name"], short_name=short_name, iso_code=iso_code)
        states[code].population_2020 += int(row["population_2020"] or 0)
    State.objects.bulk_create(
        states.values(),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "short_name", "iso_code", "population_2020"],
    )
    municipalities = [
        Municipality(
            inegi_code=row["inegi_code"],
            state_id=row["state_code"],
            municipality_code=row["municipality_code"],
            name=row["name"],
            seat_name=row["seat_name"],
            population_2020=int(row["population_2020"] or 0),
            search_name=fold(row["name"]),
            common_name=common_names.get(row["inegi_code"], ""),
            search_alias=Municipality.alias_for(row["name"], row["seat_name"], common_names.get(row["inegi_code"], "")),
        )
        for row in rows
    ]
    Municipality.objects.bulk_create(
        municipalities,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["inegi_code"],
        update_fields=[
            "state",
            "municipality_code",
            "name",
            "seat_name",
            "population_2020",
            "search_name",
            "common_name",
            "search_alias",
        ],
    )
    return {"states": len(states), "municipalities": len(municipalities)}
