"""How a notice reads: its event's templates, rendered in the reader's language from the stored parameters.

A notice is stored as an event code (:class:`~portal.notifications.choices.NoticeEvent`) with parameters; the
apps whose events these are register a *context* function (the parameters made into template variables, with
no query beyond the notice's own case) and an *attachments* function (the files its e-mail carries). The
subject and body are rendered when read: in the portal in the reader's current language, by e-mail in the
recipient's preferred language. The Spanish text stored with the notice is the record of what was said.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE = "agreements/notices/{event}_{part}.txt"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


ContextFunction = Callable[[str, dict, object], dict]  # (event, params, agreement) -> template context
AttachmentsFunction = Callable[[str, dict], list[Attachment]]  # (event, params) -> files

_context: list[ContextFunction] = []
_attachments: list[AttachmentsFunction] = []


def register(*, context: ContextFunction | None = None, attachments: AttachmentsFunction | None = None) -> None:
    """Called by an app's ``ready()``: how its events become template variables and e-mail attachments."""
    if context is not None and context not in _context:
        _context.append(context)
    if attachments is not None and attachments not in _attachments:
        _attachments.append(attachments)


def context_for(event: str, params: dict, agreement=None) -> dict:
    context = {"agreement": agreement, **params}
    for function in _context:
        context.update(function(event, params, agreement))
    return context


def render(event: str, params: dict, agreement=None, *, language: str | None = None) -> tuple[str, str]:
    """``(subject, body)`` of an event, in ``language`` (default: the active one)."""
    with translation.override(language) if language else nullcontext():
        context = context_for(event, params, agreement)
        subject = " ".join(render_to_string(TEMPLATE.format(event=event, part="subject"), context).split())
        body = render_to_string(TEMPLATE.format(event=event, part="body"), context).strip()
    return subject, body


def attachments_for(event: str, params: dict) -> list[Attachment]:
    return [a for function in _attachments for a in function(event, params)]
