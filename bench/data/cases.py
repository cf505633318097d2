"""The cases: each one walked through the workflow to its status, leaving what the portal would have written.

Every field stays consistent with the walk: ``current_step`` from ``workflow.step_for_status`` (drafts by their
documents; NULL when terminal), timestamps in order, ``cja_deadline`` from ``workflow.cja_deadline``, documents with
a size and a hash, dictámenes with observations, the timeline (one event per upload and per move, as
``bench.data.lifecycle`` reads the moves from the workflow table), the registry entry of each closed case, themes
through the join tables.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache

from django.db import connection, transaction

from agreements import countries, workflow
from agreements.actions import document_step
from agreements.choices import Status
from agreements.models import Agreement, Dictamen, Document, Observation, TimelineEvent
from agreements.registry.models import RegistryEntry
from agreements.workflow import Action
from portal.core.text import fold

from .lifecycle import COMMENTS, STATUS_WEIGHTS, WITHDRAWN_FROM, Move, path_to
from .registry import entry_columns
from .tables import CHUNK, Table, next_id, reset_sequence
from .vocabulary import (
    ANNEX_TYPES,
    COUNTRIES,
    DOCX,
    GOVERNMENT_PREFIXES,
    INTERNATIONAL_ORGANIZATIONS,
    KIND_TITLES,
    KIND_WEIGHTS,
    NGO_WORDS,
    PDF,
    PRIVATE_WORDS,
    SUBDIVISIONS,
    THEME_LABELS,
)

__all__ = ["CaseWriter"]

DAY = 86_400
HOUR = 3_600


@lru_cache(maxsize=8192)
def _deadline(signing: dt.date) -> dt.date:
    return workflow.cja_deadline(signing)


class CaseWriter:
    """Writes the cases of the generated institutions (``institutions.write_institutions``) with the shared RNG."""

    def __init__(
        self, *, rng: random.Random, now: dt.datetime, institutions: list[dict], cja_user: int, dgcp_user: int
    ):
        self.rng = rng
        self.now = now
        self.institutions = institutions
        self.cja_user = cja_user
        self.dgcp_user = dgcp_user

    def write(self, n: int) -> dict:
        """``n`` cases with everything they left behind, in one transaction; returns the figures the checks expect."""
        tables = {
            "agreement": Table(
                Agreement,
                [
                    "id",
                    "folio",
                    "title",
                    "kind",
                    "institution_id",
                    "created_by_id",
                    "counterpart_name",
                    "counterpart_type",
                    "counterpart_country",
                    "counterpart_subdivision",
                    "intended_signing_date",
                    "intended_signing_place",
                    "urgency_reason",
                    "status",
                    "current_step",
                    "step_entered_at",
                    "cja_deadline",
                    "is_late",
                    "submitted_at",
                    "dictamen_outcome",
                    "signed_on",
                    "signed_place",
                    "registry_number",
                    "registered_on",
                    "recommendations_incorporated",
                    "closed_at",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            "themes": Table(Agreement.themes.through, ["id", "agreement_id", "theme_id"]),
            "document": Table(
                Document,
                [
                    "id",
                    "agreement_id",
                    "kind",
                    "annex_type",
                    "version",
                    "file",
                    "original_name",
                    "content_type",
                    "size",
                    "sha256",
                    "extracted_text",
                    "uploaded_by_id",
                    "uploaded_at",
                ],
            ),
            "dictamen": Table(
                Dictamen,
                [
                    "id",
                    "agreement_id",
                    "final_text_id",
                    "outcome",
                    "summary",
                    "status",
                    "issued_by_id",
                    "issued_at",
                    "reviewed_by_id",
                    "reviewed_at",
                    "cover_note",
                    "return_comment",
                    "reply_letter_id",
                ],
            ),
            "observation": Table(
                Observation,
                ["id", "dictamen_id", "number", "text", "clause", "answer", "reply", "answered_by_id", "answered_at"],
            ),
            "timeline": Table(
                TimelineEvent,
                [
                    "id",
                    "agreement_id",
                    "created_at",
                    "actor_id",
                    "actor_role",
                    "action",
                    "completed_step",
                    "from_step",
                    "to_step",
                    "from_status",
                    "to_status",
                    "decision",
                    "comment",
                ],
            ),
            "registry": Table(RegistryEntry, entry_columns(workflow=True)),
            "registry_themes": Table(RegistryEntry.themes.through, ["id", "registryentry_id", "theme_id"]),
        }
        with transaction.atomic(), connection.cursor() as cursor:
            self.ids = {key: next_id(cursor, table.table) for key, table in tables.items()}
            self.first_agreement_id = self.ids["agreement"]
            self.tables = tables
            statuses = self.rng.choices([s.value for s in STATUS_WEIGHTS], weights=list(STATUS_WEIGHTS.values()), k=n)
            institutions = self.rng.choices(self.institutions, weights=[i["weight"] for i in self.institutions], k=n)
            for start in range(0, n, CHUNK):
                for status, institution in zip(
                    statuses[start : start + CHUNK], institutions[start : start + CHUNK], strict=True
                ):
                    self._case(status, institution)
                for table in tables.values():
                    table.flush(cursor)
            for table in tables.values():
                reset_sequence(cursor, table.table)
        return {
            "counts": {key: table.total for key, table in tables.items()},
            "status_counts": {s.value: statuses.count(s.value) for s in STATUS_WEIGHTS},
            "agreement_ids": (self.first_agreement_id, self.ids["agreement"] - 1),
        }

    def _new_id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def _counterpart(self) -> tuple[str, str, str, str]:
        """(name, type, country, subdivision)."""
        rng = self.rng
        kind = rng.choices(
            ["government", "international_organization", "ngo", "private"], weights=[60, 10, 15, 15], k=1
        )[0]
        if kind == "international_organization":
            return rng.choice(INTERNATIONAL_ORGANIZATIONS), kind, "", ""
        country = rng.choice(list(COUNTRIES))
        city = rng.choice(COUNTRIES[country])
        subdivision = SUBDIVISIONS.get(city, "") if rng.random() < 0.6 else ""
        if kind == "government":
            name = f"{rng.choice(GOVERNMENT_PREFIXES)} {city}"
        elif kind == "ngo":
            name = f"Fundación {rng.choice(NGO_WORDS)} de {city}"
        else:
            name = f"{rng.choice(PRIVATE_WORDS)} {rng.choice(NGO_WORDS)} de {city}"
        return name, kind, country, subdivision

    def _path(self, status: str) -> tuple[Move, ...]:
        if status == Status.WITHDRAWN:
            source = self.rng.choices(list(WITHDRAWN_FROM), weights=list(WITHDRAWN_FROM.values()), k=1)[0]
            return path_to(status, withdrawn_from=source)
        return path_to(status)

    def _case(self, status: str, institution: dict) -> None:
        rng, t = self.rng, self.tables
        pk = self._new_id("agreement")
        author = rng.choice(institution["users"])
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=1)[0]
        counterpart, counterpart_type, country, subdivision = self._counterpart()
        themes = rng.sample(list(THEME_LABELS), rng.choice((1, 1, 2, 2, 3)))
        title = (
            f"{KIND_TITLES[kind]} entre {institution['short']} y {counterpart} en materia de {THEME_LABELS[themes[0]]}"
        )
        path = self._path(status)
        terminal = status in workflow.TERMINAL_STATUSES

        # Documents uploaded while drafting: none, the request letter, or both (the draft step follows).
        if status == Status.DRAFT or [m.target for m in path] == [Status.WITHDRAWN]:
            documents = rng.choices((0, 1, 2), weights=(25, 25, 50), k=1)[0]
        else:
            documents = 2
        with_annex = documents == 2 and rng.random() < 0.4

        # Relative times (seconds since creation) of every event, in order.
        events = []  # (offset, action, actor, completed, from_status, to_status, from_step, to_step, decision)
        step = 1
        offset = 0
        events.append((0, "create", "local", None, "draft", "draft", None, 1, ""))
        uploads = ["request_letter", "final_text"][:documents] + (["annex"] if with_annex else [])
        for number, doc_kind in enumerate(uploads, start=1):
            offset += rng.randint(HOUR, 5 * DAY)
            new_step = workflow.draft_step(has_request_letter=True, has_final_text=number >= 2)
            completed = document_step(doc_kind)
            events.append((offset, "upload_document", "local", completed, "draft", "draft", step, new_step, doc_kind))
            step = new_step
        previous = "draft"
        times = {"draft": offset}
        late = False
        for move in path:
            offset += rng.randint(*move.delay)
            decision = ""
            if move.action == Action.COMPUTE_DEADLINE:
                late = rng.random() < 0.08
                decision = "late" if late else "on_time"
            events.append(
                (
                    offset,
                    move.action,
                    move.actor,
                    move.completed_step,
                    previous,
                    move.target,
                    step,
                    move.to_step,
                    decision,
                )
            )
            times[move.target] = offset
            previous, step = move.target, move.to_step

        # Anchor the simulated history in time: open cases entered their step recently, the rest ended earlier.
        if terminal:
            end = self.now - dt.timedelta(seconds=rng.randint(DAY, 1_700 * DAY))
        else:
            waited = rng.randint(0, 120 * DAY) if rng.random() < 0.9 else rng.randint(120 * DAY, 400 * DAY)
            end = self.now - dt.timedelta(seconds=waited)
        created = end - dt.timedelta(seconds=offset)

        def at(seconds: int) -> dt.datetime:
            return created + dt.timedelta(seconds=seconds)

        signing = created.date() + dt.timedelta(days=rng.randint(20, 240))
        deadline = _deadline(signing)
        folio = f"AII-{created.year}-{pk:06d}"
        urgency = "Visita oficial de la contraparte en fechas próximas." if late and rng.random() < 0.5 else ""
        signed_on = at(times["signed"]).date() - dt.timedelta(days=rng.randint(0, 5)) if "signed" in times else None
        registered_on = at(times["inscribed"]).date() if "inscribed" in times else None
        registry_number = f"RAII-{registered_on.year}-{pk:06d}" if registered_on else None
        outcome = ""
        dictamen_outcome = ""
        if "dictamen_issued" in times:
            if status == "not_viable":
                dictamen_outcome = "not_viable"
            else:
                dictamen_outcome = rng.choices(
                    ["viable", "viable_with_observations", "not_viable"],
                    weights=[60, 32, 8] if status == "dictamen_issued" else [65, 35, 0],
                    k=1,
                )[0]
            approved = status != "dictamen_issued"
            outcome = dictamen_outcome if approved else ""
        t["agreement"].add(
            (
                pk,
                folio,
                title[:300],
                kind,
                institution["id"],
                author,
                counterpart,
                counterpart_type,
                country,
                subdivision,
                signing,
                institution["place"],
                urgency,
                status,
                step,
                at(events[-1][0]),
                deadline,
                late and not urgency,
                at(times["submitted"]) if "submitted" in times else None,
                outcome,
                signed_on,
                institution["place"] if signed_on else "",
                registry_number,
                registered_on,
                True if registered_on else None,
                at(events[-1][0]) if terminal else None,
                True,
                created,
                at(events[-1][0]),
            )
        )
        for theme in themes:
            t["themes"].add((self._new_id("themes"), pk, theme))

        actors = {"local": author, "cja": self.cja_user, "dgcp": self.dgcp_user, "system": None}
        for offset_s, action, actor, completed, from_status, to_status, from_step, to_step, decision in events:
            t["timeline"].add(
                (
                    self._new_id("timeline"),
                    pk,
                    at(offset_s),
                    actors[actor],
                    actor,
                    action,
                    completed,
                    from_step,
                    to_step,
                    from_status,
                    to_status,
                    decision,
                    COMMENTS.get(action, ""),
                )
            )

        # Documents: what the uploads and the signed copy left behind.
        final_text_id = None
        uploads = [e for e in events if e[1] == "upload_document"]
        for offset_s, *_rest, doc_kind in uploads:
            document_id = self._new_id("document")
            if doc_kind == "final_text":
                final_text_id = document_id
            self._document(document_id, pk, doc_kind, author, at(offset_s))
        if "signed" in times:
            self._document(self._new_id("document"), pk, "signed_copy", author, at(times["signed"]))

        if "dictamen_issued" in times:
            dictamen_id = self._new_id("dictamen")
            approved = status != "dictamen_issued"
            review = next((times[s] for s in ("awaiting_signature", "not_viable") if s in times), None)
            t["dictamen"].add(
                (
                    dictamen_id,
                    pk,
                    final_text_id,
                    dictamen_outcome,
                    "La Consultoría Jurídica dictamina el instrumento conforme a la Ley sobre la Celebración de Tratados.",
                    "approved" if approved else "issued",
                    self.cja_user,
                    at(times["dictamen_issued"]),
                    self.dgcp_user if approved else None,
                    at(review) if approved else None,
                    "Se entrega el dictamen a la dependencia." if approved else "",
                    "",
                    None,
                )
            )
            if dictamen_outcome == "viable_with_observations":
                for number in range(1, rng.randint(1, 4) + 1):
                    answered = approved and "signed" in times
                    t["observation"].add(
                        (
                            self._new_id("observation"),
                            dictamen_id,
                            number,
                            f"Precisar el alcance de la cláusula {number + 2} respecto de las obligaciones financieras.",
                            f"Cláusula {number + 2}",
                            rng.choice(("addressed", "addressed", "not_addressed")) if answered else "pending",
                            "Se ajustó la redacción." if answered else "",
                            author if answered else None,
                            at(times["signed"]) if answered else None,
                        )
                    )

        if status == "closed":
            entry_id = self._new_id("registry")
            level = institution["level"]
            expires_on = signed_on + dt.timedelta(days=365 * rng.choice((3, 5, 10))) if rng.random() < 0.7 else None
            t["registry"].add_record(
                {
                    "id": entry_id,
                    "registry_number": registry_number,
                    "title": title[:300],
                    "kind": kind,
                    "level": level,
                    "state_id": institution["state_id"],
                    "municipality_id": institution["municipality_id"] if level == "municipal" else None,
                    "signing_office": institution["name"],
                    "counterpart_name": counterpart,
                    "counterpart_type": counterpart_type,
                    "counterpart_country": country,
                    "counterpart_subdivision": subdivision,
                    "region": countries.region_for(country),
                    "signed_on": signed_on,
                    "signed_place": institution["place"],
                    "registered_on": registered_on,
                    "expires_on": expires_on,
                    "agreement_id": pk,
                    "institution_id": institution["id"],
                    "source": "workflow",
                    # What services.registry._derived writes when step 12 publishes the entry.
                    "search_text": fold(f"{title[:300]} {counterpart} {institution['name']}"),
                    "theme_keys": ";".join(sorted(themes)),
                    "is_demo": True,
                    "created_at": at(times["closed"]),
                    "updated_at": at(times["closed"]),
                }
            )
            for theme in themes:
                t["registry_themes"].add((self._new_id("registry_themes"), entry_id, theme))

    def _document(self, pk: int, agreement_id: int, kind: str, author: int, when: dt.datetime) -> None:
        rng = self.rng
        annex_type = rng.choice(ANNEX_TYPES) if kind == "annex" else ""
        content_type = DOCX if kind == "final_text" else PDF
        extension = "docx" if kind == "final_text" else "pdf"
        self.tables["document"].add(
            (
                pk,
                agreement_id,
                kind,
                annex_type,
                1,
                f"agreements/{agreement_id}/{rng.getrandbits(128):032x}",
                f"{kind}_{agreement_id}.{extension}",
                content_type,
                rng.randint(20_000, 3_000_000),
                f"{rng.getrandbits(256):064x}",
                "",
                author,
                when,
            )
        )
