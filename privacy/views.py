from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from accounts.permissions import role_required
from audit.registry import note_view
from core.excel import workbook_response
from privacy import services
from privacy.forms import EraseForm, PersonLookupForm
from privacy.permissions import manage_personal_data


@role_required(manage_personal_data)
def person(request):
    """Look up one person by mobile number; export or erase from here."""
    form = PersonLookupForm(request.GET or None)
    records = None
    if form.is_valid():
        records = services.find_person(form.cleaned_data["phone"], by=request.user)
        # Every look-up is one 查阅 entry (who, when, how many records found, from where).
        note_view(_("个人信息查询"), records.total)
        if request.GET.get("format") == "xlsx":
            workbook = Workbook(write_only=True)
            services.write_export(workbook, records, by=request.user)
            return workbook_response(workbook, f"个人信息-{records.phone[-4:]}.xlsx")
    status = 400 if form.errors else 200
    return render(
        request,
        "privacy/person.html",
        {"form": form, "records": records, "erase_form": EraseForm(initial=form.cleaned_data if form.is_valid() else None)},
        status=status,
    )


@role_required(manage_personal_data)
@require_POST
def erase(request):
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请勾选确认后再删除。"))
        return redirect(f"{request.path.rsplit('erase/', 1)[0]}?phone={request.POST.get('phone', '')}")
    counts = services.erase_person(form.cleaned_data["phone"], by=request.user)
    messages.success(
        request,
        _("已删除：群众意见%(opinions)s条、接待记录%(receptions)s条、项目建议%(proposals)s条中的姓名和手机号。") % counts,
    )
    return redirect("privacy:person")
