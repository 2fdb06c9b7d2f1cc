"""Pages: the public form (a panel on the station page), the success page and tracking with
rating; the signed-in list/inbox, detail with the handling steps, bulk referral and export."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts.models import Role
from accounts.permissions import RoleRequiredMixin, role_required
from divisions.scope import scope_of, units_for, units_serving
from audit.models import AuditEntry
from audit.registry import log
from core import abuse
from core.caching import rendered_rows, share_count, shared_until_changed
from core.exceptions import DomainError
from core.excel import export_response
from core.http import filter_data, query_without_page
from core.search import parse_query
from opinions import services, spreadsheets
from opinions.filters import (
    COUNT_MODELS, FILTER_CHOICE_MODELS, ROW_NAME_MODELS, UNIT_CHOICE_MODELS, OpinionFilter,
)
from opinions.forms import (
    RevealForm,
    BulkReferForm,
    NoteForm,
    OpinionForm,
    RatingForm,
    ReferForm,
    ReplyForm,
    ReturnForm,
    TrackForm,
    TransferForm,
)
from opinions.models import Opinion, Step, normalize_tracking_code
from opinions.permissions import manage_opinions, view_opinions
from stations.public import get_public_station, render_station_page

# --- Public: the form on the station page --------------------------------------------------


def render_opinion_panel(request, station, state=None):
    """The opinion form on /s/<code>/ (registered with stations.public). `state` carries the
    bound form when a submission was refused."""
    form = (state or {}).get("opinion_form") or OpinionForm()
    return render_to_string(
        "opinions/_form_panel.html",
        {"form": form, "station": station, "adopt_days": settings.OPINION_ADOPT_DAYS},
        request=request,
    )


@require_POST
def submit(request, code):
    """点单 from the station page. A refused submission shows the station page again with the
    person's text kept and the reason (400, or 429 for the rate limit); nothing is saved."""
    station = get_public_station(code)
    form = OpinionForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_station_page(request, station, status=400, state={"opinion_form": form})
    try:
        opinion = services.submit_from_request(request, station=station, data=form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render_station_page(request, station, status=exc.status_code, state={"opinion_form": form})
    return redirect("opinions:submitted", code=opinion.tracking_code)


def _opinion_for_code(request, code):
    """The opinion behind a tracking code, or the site's ordinary 404."""
    abuse.check_lookup_rate(request, services.ABUSE_SCOPE)
    normalized = normalize_tracking_code(code)
    if not normalized:
        raise Http404
    if normalized != code:
        return None, normalized
    opinion = Opinion.objects.select_related("station", "category", "unit").filter(tracking_code=code).first()
    if opinion is None:
        raise Http404
    return opinion, code


@never_cache
def submitted(request, code):
    opinion, normalized = _opinion_for_code(request, code)
    if opinion is None:
        return redirect("opinions:submitted", code=normalized)
    return render(
        request,
        "opinions/submitted.html",
        {"opinion": opinion, "adopt_days": settings.OPINION_ADOPT_DAYS},
    )


@never_cache
def track_form(request):
    """/track/: enter a code. Works as a plain GET form."""
    form = TrackForm(request.GET or None)
    status = 200
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"]
        abuse.check_lookup_rate(request, services.ABUSE_SCOPE)
        if Opinion.objects.filter(tracking_code=code).exists():
            return redirect("opinions:track", code=code)
        # Typed on the form, a code that finds nothing is told plainly (an address /track/<code>/
        # stays the site's ordinary 404, like any unknown address).
        form.add_error("code", _("查询码不存在，请核对后重新输入。"))
        status = 404
    elif form.errors:
        status = 400
    return render(request, "opinions/track_form.html", {"form": form}, status=status)


@never_cache
def track(request, code, rating_form=None, status=200):
    opinion, normalized = _opinion_for_code(request, code)
    if opinion is None:
        return redirect("opinions:track", code=normalized)
    timeline = [e for e in opinion.timeline.all() if e.public_text]
    return render(
        request,
        "opinions/track.html",
        {
            "opinion": opinion,
            "timeline": timeline,
            "rating_form": rating_form or (RatingForm() if opinion.can_be_rated else None),
            "steps": public_progress(opinion),
            "next_step": next_step(opinion),
        },
        status=status,
    )


@require_POST
def rate(request, code):
    opinion, _normalized = _opinion_for_code(request, code)
    if opinion is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        return track(request, code, rating_form=form, status=400)
    try:
        services.rate(opinion, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("opinions:track", code=code)
    messages.success(request, _("感谢您的评价！"))
    return redirect("opinions:track", code=code)


PUBLIC_PROGRESS = [
    ("submitted", gettext_lazy("已提交")),
    ("adopted", gettext_lazy("代表已接单")),
    ("referred", gettext_lazy("已转交办理")),
    ("handling", gettext_lazy("办理中")),
    ("closed", gettext_lazy("已办结")),
]


def next_step(opinion):
    """One plain sentence: what happens next."""
    if opinion.state == "submitted":
        return _("代表将在%(n)s个工作日内接单。") % {"n": settings.OPINION_ADOPT_DAYS}
    if opinion.state == "adopted":
        return _("代表正在办理，会在%(n)s个工作日内直接答复您，或者转交有关部门办理。") % {
            "n": settings.OPINION_REPLY_DAYS
        }
    if opinion.state == "referred":
        return _("已转交%(unit)s，单位将在%(n)s个工作日内答复。") % {
            "unit": opinion.unit.name if opinion.unit_id else "", "n": settings.OPINION_REPLY_DAYS
        }
    if opinion.state == "handling":
        return _("%(unit)s正在办理，办结后答复会显示在这里。") % {"unit": opinion.unit.name if opinion.unit_id else ""}
    if opinion.state == "converted":
        return _("代表已把您的意见写成代表建议，交有关部门办理。")
    if opinion.rated_at is None:
        return _("已经办结。请看下面的答复，并评价办理结果。")
    return _("已经办结，感谢您的评价。")


def public_progress(opinion):
    """The five public stages, each marked done/current/todo (a direct answer or a conversion
    skips the unit's stages)."""
    order = {"submitted": 0, "adopted": 1, "referred": 2, "handling": 3, "closed": 4, "converted": 4}
    reached = order[opinion.state]
    skipped = set()
    if opinion.state in ("closed", "converted") and opinion.unit_id is None:
        skipped = {"referred", "handling"}
    stages = []
    for index, (key, label) in enumerate(PUBLIC_PROGRESS):
        if key == "closed" and opinion.state == "converted":
            label = _("已转为代表建议")
        if key in skipped:
            continue
        status = "done" if index < reached or (index == reached and index == 4) else (
            "current" if index == reached else "todo"
        )
        stages.append({"label": label, "status": status})
    return stages


# --- Signed in: list, detail, steps ---------------------------------------------------------


def filtered_opinions(request):
    queryset = Opinion.objects.visible_to(request.user).for_list()
    return OpinionFilter(filter_data(request), queryset=queryset, request=request)


def only_searching(filterset):
    """True when the only filter given is a valid words search (`q`): the rest of the form is then
    the default one."""
    return filterset.is_bound and set(filterset.data) <= {"q"} and filterset.is_valid()


def filter_form_html(request, filterset):
    """The filter form's fields. Staff's empty form (the inbox's default view; the station list
    alone is 1,400 options in a city) is shared by everyone with the same scope until a
    township, station or category changes; so is the rest of the form beside a words search
    (building it was most of a search's time)."""

    def render(fields):
        return render_to_string("_filter_fields.html", {"fields": fields})

    user = request.user
    searching = only_searching(filterset)
    if (filterset.is_bound and not searching) or user.role not in (Role.ADMIN, Role.STAFF):
        return render(list(filterset.form))
    key = f"opinions:filter-form:{get_language()}:{scope_of(user).key()}"
    if searching:
        def rest_of_form():  # built only when the shared one is missing (as the suggestions')
            default = OpinionFilter(None, queryset=filterset.queryset, request=request).form
            return render([field for field in default if field.name != "q"])

        rest = shared_until_changed(
            f"{key}:without-q", rest_of_form,
            models=FILTER_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
        )
        return render([filterset.form["q"]]) + rest
    return shared_until_changed(
        key, lambda: render(list(filterset.form)),
        models=FILTER_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
    )


def bulk_unit_html(request, bulk_form):
    """The bulk referral's unit select (a city's hundred-odd units), shared by scope until a unit
    (or region) changes."""
    return shared_until_changed(
        f"opinions:bulk-units:{get_language()}:{scope_of(request.user).key()}",
        lambda: render_to_string("_field.html", {"field": bulk_form["unit"]}),
        models=UNIT_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
    )


def table_rows(request, stamps, *, now, pickable, terms=()):
    """The inbox's rows for a page of (pk, updated_at, due_at) `stamps`. Each row's HTML is kept
    until the opinion is saved (every step sets updated_at, erasure included), a name it shows
    (station, township, category, deputy, unit) changes or its deadline passes, for
    LIST_ROW_CACHE_SECONDS: at city scale the 30 rows were most of the inbox's time. `pickable`:
    the staff's tick boxes for the bulk referral. The rows of a search (`terms`: the words found,
    highlighted in a piece of the text) are built each time."""

    if terms:
        template = get_template("opinions/_row.html")
        rows = Opinion.objects.for_list().in_bulk([pk for pk, _, _ in stamps])
        context = {"now": now, "bulk_form": pickable, "terms": terms}
        return [template.render({"opinion": rows[pk], **context}) for pk, _, _ in stamps if pk in rows]

    def render(pks):
        template = get_template("opinions/_row.html")
        rows = Opinion.objects.for_list().in_bulk(pks)
        return {pk: template.render({"opinion": o, "now": now, "bulk_form": pickable}) for pk, o in rows.items()}

    keyed = [(pk, f"{updated_at.timestamp()}:{int(due_at is not None and due_at < now)}")
             for pk, updated_at, due_at in stamps]
    return rendered_rows(
        keyed, render, key=f"opinions:row:{get_language()}:{int(pickable)}",
        models=ROW_NAME_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS,
    )


def search_terms(filterset):
    """The words a valid search looks for (highlighted in the rows), or () without one."""
    if not filterset.is_bound or not filterset.is_valid():
        return ()
    text = filterset.form.cleaned_data.get("q") or ""
    return parse_query(text).terms if text.strip() else ()


class OpinionListView(RoleRequiredMixin, ListView):
    """群众意见: the staff inbox (every filter, bulk referral, export); deputies see their
    stations', units what was referred to them. The page is read as (pk, updated_at, due_at)
    only; the rows come from table_rows."""

    permission = view_opinions
    template_name = "opinions/opinion_list.html"
    paginate_by = 30
    context_object_name = "stamps"

    def get_queryset(self):
        self.filterset = filtered_opinions(self.request)
        return self.filterset.qs.values_list("pk", "updated_at", "due_at")

    def get_paginator(self, queryset, per_page, **kwargs):
        """The staff's unfiltered inbox is a whole city's opinions: its count (a scan of 100,000
        rows, a third of the page's time) is shared by scope until an opinion or station changes."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        user = self.request.user
        if not self.filterset.is_bound and user.role in (Role.ADMIN, Role.STAFF):
            share_count(paginator, f"opinions:inbox-count:{scope_of(user).key()}",
                        models=COUNT_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        bulk_form = BulkReferForm(units=units_for(user)) if manage_opinions.has(user) else None
        now = timezone.now()
        stamps = list(context["object_list"])
        terms = search_terms(self.filterset)
        context.update(
            filter=self.filterset,
            filters_html=filter_form_html(self.request, self.filterset),
            query=query_without_page(self.request),
            bulk_form=bulk_form,
            bulk_unit_html=bulk_unit_html(self.request, bulk_form) if bulk_form else "",
            opinion_ids=[pk for pk, _, _ in stamps],
            rows=table_rows(self.request, stamps, now=now, pickable=bulk_form is not None, terms=terms),
            terms=terms,
        )
        return context

    def render_to_response(self, context, **kwargs):
        """A query too long to search: 400 with the field's message."""
        if self.filterset.is_bound and not self.filterset.is_valid() and "q" in self.filterset.form.errors:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


@role_required(view_opinions)
def opinion_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(request, pk, *, revealed=None, reveal_form=None, status=200):
    opinion = get_object_or_404(
        Opinion.objects.visible_to(request.user).for_list()
        .select_related("congress__region", "received_by").prefetch_related("photos"), pk=pk
    )
    timeline = opinion.timeline.select_related("unit", "from_congress", "to_congress").all()
    allowed = services.allowed_steps(opinion, request.user)
    return render(
        request,
        "opinions/opinion_detail.html",
        {
            "opinion": opinion,
            "timeline": timeline,
            "allowed": {str(step) for step in allowed},
            "phone": revealed["phone"] if revealed else opinion.phone_for(request.user),
            "person_name": revealed["name"] if revealed else opinion.name_for(request.user),
            "revealed": bool(revealed),
            "can_reveal": not revealed and not opinion.erased_at and bool(opinion.person_name or opinion.person_phone)
            and services.may_reveal_contact(opinion, request.user),
            "reveal_form": reveal_form or RevealForm(),
            "note_form": NoteForm(),
            "reply_form": ReplyForm(),
            "refer_form": ReferForm(units=units_serving(opinion.congress.region)),
            "transfer_form": TransferForm(opinion=opinion) if Step.TRANSFER in allowed else None,
            "return_form": ReturnForm(),
            # The suggestions app's form reads ?opinion= and calls services.mark_converted.
            "suggestion_url": f"/suggestions/new/?opinion={opinion.pk}",
        },
        status=status,
    )


# step -> (form, the service call, the message once done)
STEP_ACTIONS = {
    Step.ADOPT: (
        NoteForm,
        lambda opinion, by, data: services.adopt(opinion, by=by, note=data["note"]),
        gettext_lazy("已接单。请在时限内答复、转交承办单位或转为代表建议。"),
    ),
    Step.ANSWER: (
        ReplyForm,
        lambda opinion, by, data: services.answer(opinion, by=by, reply=data["reply"]),
        gettext_lazy("已答复，意见办结。"),
    ),
    Step.REFER: (
        ReferForm,
        lambda opinion, by, data: services.refer(opinion, unit=data["unit"], by=by, note=data["note"]),
        gettext_lazy("已转交承办单位。"),
    ),
    Step.TRANSFER: (
        TransferForm,
        lambda opinion, by, data: services.transfer(opinion, by=by, to_region=data["to_region"], reason=data["reason"]),
        gettext_lazy("已转办。"),
    ),
    Step.ACCEPT: (
        NoteForm,
        lambda opinion, by, data: services.accept_referral(opinion, by=by, note=data["note"]),
        gettext_lazy("已接单，请在时限内答复。"),
    ),
    Step.RETURN: (
        ReturnForm,
        lambda opinion, by, data: services.return_referral(opinion, by=by, reason=data["reason"]),
        gettext_lazy("已退回。"),
    ),
    Step.REPLY: (
        ReplyForm,
        lambda opinion, by, data: services.reply_to(opinion, by=by, reply=data["reply"]),
        gettext_lazy("已答复，意见办结。"),
    ),
}


def _reveal(request, pk):
    """A unit or a station's deputy reveals the citizen's name and number on this one opinion,
    with a reason (logged); the page shows them in this answer only."""
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, reveal_form=form, status=400)
    contact = services.reveal_contact(opinion, by=request.user, reason=form.cleaned_data["reason"])
    return _detail_page(request, pk, revealed=contact)


def _flash_errors(request, form):
    """A step's small form is part of the detail page: its errors come back as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@role_required(view_opinions)
def opinion_step(request, pk, step):
    if step == "reveal":
        return _reveal(request, pk)
    if step not in STEP_ACTIONS:
        raise Http404
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    form_class, action, done = STEP_ACTIONS[step]
    form = form_class(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("opinions:detail", pk=pk)
    action(opinion, request.user, form.cleaned_data)
    messages.success(request, done)
    return redirect("opinions:detail", pk=pk)


@require_POST
@role_required(manage_opinions)
def bulk_refer(request):
    form = BulkReferForm(request.POST, units=units_for(request.user))
    back = reverse("opinions:list") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(back)
    opinions = Opinion.objects.visible_to(request.user).filter(pk__in=form.cleaned_data["ids"])
    referred, refused = services.bulk_refer(
        list(opinions), unit=form.cleaned_data["unit"], by=request.user, note=form.cleaned_data["note"]
    )
    if referred:
        messages.success(
            request,
            _("已将%(n)s条意见转交%(unit)s。") % {"n": len(referred), "unit": form.cleaned_data["unit"].name},
        )
    for opinion, message in refused:
        messages.warning(request, _("查询码 %(code)s 未转交：%(message)s") % {"code": opinion.tracking_code, "message": message})
    return redirect(back)


@role_required(manage_opinions)
def export(request):
    opinions = filtered_opinions(request).qs
    log(AuditEntry.Action.EXPORT, object_repr=_("导出群众意见"), changes={"filters": request.GET.dict()})
    filename = f"群众意见-{timezone.localdate():%Y%m%d}.xlsx"
    rows = (spreadsheets.export_row(o) for o in opinions.iterator(chunk_size=500))
    return export_response(filename, _("群众意见"), spreadsheets.EXPORT_COLUMNS, rows)
