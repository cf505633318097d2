"""One way for HTML views to run a service and show its errors to the person."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from .exceptions import ApplicationError, NotFound


def run_action(request, *, form, perform, success_message, redirect_to):
    """Validate ``form``, call ``perform(cleaned_data)``; show the outcome as a message and redirect.

    Errors keep the person on the same page with a specific message; nothing is half written
    because each service runs in one transaction.
    """
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(redirect_to)
    try:
        perform(form.cleaned_data)
    except NotFound:
        raise Http404() from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        for errors in exc.field_errors.values():
            for error in errors:
                if str(error) != str(exc.message):
                    messages.error(request, str(error))
        response = redirect(redirect_to)
        return response
    messages.success(request, success_message)
    return redirect(redirect_to)


def add_service_errors(form, exc: ApplicationError) -> None:
    """Show a service's errors next to the form fields they concern (or at the top of the form)."""
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, str(error))
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
