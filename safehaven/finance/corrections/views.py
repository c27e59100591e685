"""A journal entry's page and its reversal (finance officers only): the only correction. The
mistaken entry stays; the reversal is shown after it is posted, or the refusal on the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import current_user
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.access import access_entry
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.corrections.forms import ReverseEntryForm
from safehaven.finance.corrections.pages import entry_page
from safehaven.finance.models import JournalEntry
from safehaven.keys.login_key import unlocked_private_key


def _show(request: HttpRequest, entry: JournalEntry, form: ReverseEntryForm) -> HttpResponse:
    context = {"page": entry_page(entry), "entry": entry, "form": form}
    return render(request, "finance/correction_entry.html", context)


@require_GET
def show_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _show(request, access_entry(request, entry_id), ReverseEntryForm())


@require_POST
def reverse_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_entry(request, entry_id)
    form = ReverseEntryForm(request.POST)
    if form.is_valid():
        try:
            reversal = do_reverse_entry(
                entry, actor=current_user(request), private_key=unlocked_private_key(request)
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Entry %(entry)s reversed by entry %(reversal)s.")
                % {"entry": entry.sequence, "reversal": reversal.sequence},
            )
            return redirect("finance-show-entry", entry_id=reversal.pk)
    return _show(request, entry, form)
