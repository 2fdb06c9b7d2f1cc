"""Pages: deputies' own suggestions and drafts, staff review (交办) and figures (统计), the units'
work, the steps of the loop (one generic page per step, from steps.ACTIONS), and the public page
of published replies."""

import mimetypes

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import role_required
from audit.models import AuditEntry
from audit.registry import log
from core.excel import export_response
from core.caching import rendered_rows, share_count, shared_until_changed
from core.exceptions import DomainError
from core.http import filter_data, query_without_page
from core.media import stored_file_response
from core.search import parse_query
from core.security import download_name, harden_file_response
from divisions.scope import scope_of
from suggestions import services, spreadsheets
from suggestions.filters import COUNT_MODELS, FILTER_CHOICE_MODELS, ROW_NAME_MODELS, SuggestionFilter
from suggestions.forms import DraftForm, FiguresForm, convertible_opinions, own_receptions
from suggestions.models import (
    HANDLING,
    Assignment,
    Attachment,
    Cosigner,
    Extension,
    Reply,
    State,
    Step,
    Suggestion,
    deputy_id_of,
)
from suggestions.permissions import (
    manage_suggestions,
    propose_suggestions,
    view_suggestion_figures,
    view_suggestions,
)
from suggestions.selectors import (
    RATE_LABELS,
    figure_years,
    public_replies,
    suggestion_figures,
    suggestion_parts,
)
from suggestions.steps import ACTIONS, actions_for

PAGE_SIZE = 30
# Filters shown to each role on the list page (the API accepts all of them).
FILTERS_BY_ROLE = {
    Role.DEPUTY: ["q", "state"],
    Role.UNIT: ["q", "state", "session", "year", "category", "is_key", "overdue"],
}


def filtered_suggestions(request):
    queryset = Suggestion.objects.visible_to(request.user).for_list()
    return SuggestionFilter(filter_data(request), queryset=queryset, request=request)


# Accepted but not shown: `search` is the words search's earlier name (q).
HIDDEN_FILTERS = ("search",)


def search_terms(filterset):
    """The words a valid search looks for (highlighted in the rows), or () without one."""
    if not filterset.is_bound or not filterset.is_valid():
        return ()
    text = filterset.form.cleaned_data.get("q") or filterset.form.cleaned_data.get("search") or ""
    return parse_query(text).terms if text.strip() else ()


def search_refused(filterset):
    """A query too long to search: the page answers 400 with the field's message."""
    return filterset.is_bound and not filterset.is_valid() and bool(
        {"q", "search"} & set(filterset.form.errors)
    )


def filter_form_html(request, filterset, names):
    """The filter form's fields. The empty form (the default view) is the same for everyone with
    the same role: built once and kept until a session, category, township or unit changes
    (at city scale building it was about half of the list's time); so is the rest of the form
    beside a words search."""

    def render(form, skip=()):
        shown = [name for name in names or form.fields if name not in HIDDEN_FILTERS and name not in skip]
        return render_to_string("_filter_fields.html", {"fields": [form[name] for name in shown]})

    searching = filterset.is_bound and set(filterset.data) <= {"q"} and filterset.is_valid()
    if filterset.is_bound and not searching:
        return render(filterset.form)
    key = f"suggestions:filter-form:{get_language()}:{request.user.role}"
    if searching:
        # The default form is built only when the shared one is missing (a filter set deep-copies
        # every filter and its choices: a quarter of a search page's time).
        rest = shared_until_changed(
            f"{key}:without-q",
            lambda: render(SuggestionFilter(None, queryset=filterset.queryset, request=request).form, skip=("q",)),
            models=FILTER_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
        )
        return render_to_string("_filter_fields.html", {"fields": [filterset.form["q"]]}) + rest
    return shared_until_changed(
        key, lambda: render(filterset.form),
        models=FILTER_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
    )


# What a row of the table does not show: not read for a page of 30.
ROW_DEFERRED = (
    "content", "reference_reason", "lead_deputy__search_keys", "lead_deputy__constituency",
    "lead_deputy__occupation", "lead_deputy__photo",
)


def table_rows(request, stamps, terms=()):
    """The staff's and units' table rows for a page of (pk, updated_at) `stamps`. Each row's HTML
    is kept until the suggestion is saved, a name it shows (deputy, township, category, unit,
    session) changes or the day turns (days left), for LIST_ROW_CACHE_SECONDS: at city scale the
    30 rows' objects and template were two thirds of the page's time. The rows of a search
    (`terms`: the words found, highlighted, with a piece of the content) are built each time."""
    user = request.user
    viewer = f"unit-{user.handling_unit_id}" if user.role == Role.UNIT else "all"  # 主办 / 协办 badges
    if terms:
        template = get_template("suggestions/_row.html")
        deferred = [name for name in ROW_DEFERRED if name != "content"]
        rows = Suggestion.objects.for_list().defer(*deferred).in_bulk([pk for pk, _ in stamps])
        return [template.render({"s": rows[pk], "user": user, "terms": terms}) for pk, _ in stamps if pk in rows]

    def render(pks):
        template = get_template("suggestions/_row.html")
        rows = Suggestion.objects.for_list().defer(*ROW_DEFERRED).in_bulk(pks)
        return {pk: template.render({"s": s, "user": user}) for pk, s in rows.items()}

    return rendered_rows(
        [(pk, updated_at.timestamp()) for pk, updated_at in stamps], render,
        key=f"suggestions:row:{get_language()}:{viewer}:{timezone.localdate():%Y%m%d}",
        models=ROW_NAME_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS,
    )


@role_required(view_suggestions)
def suggestion_list(request):
    """代表建议: a deputy's own suggestions (cards, for the phone), or the staff's and units'
    table with filters."""
    filterset = filtered_suggestions(request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    shown = FILTERS_BY_ROLE.get(request.user.role)
    terms = search_terms(filterset)
    status = 400 if search_refused(filterset) else 200
    context = {"filter": filterset, "query": query_without_page(request), "terms": terms}
    if request.user.role == Role.DEPUTY:
        page = Paginator(queryset.defer(*ROW_DEFERRED), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page_obj=page, suggestions=page.object_list)
        context["filter_fields"] = [filterset.form[name] for name in shown]
        deputy_id = deputy_id_of(request.user)
        context["deputy_id"] = deputy_id
        context["invitations"] = list(
            Cosigner.objects.filter(
                deputy_id=deputy_id, confirmed_at__isnull=True, declined_at__isnull=True,
                suggestion__state=State.DRAFT,
            ).select_related("suggestion", "suggestion__lead_deputy")
        )
        return render(request, "suggestions/mine.html", context, status=status)
    # The page is read as (pk, updated_at) only; the rows come from table_rows.
    paginator = Paginator(queryset.values_list("pk", "updated_at"), PAGE_SIZE)
    if not filterset.is_bound and request.user.role in (Role.ADMIN, Role.STAFF):
        share_count(paginator, f"suggestions:list-count:{scope_of(request.user).key()}",
                    models=COUNT_MODELS, seconds=settings.LIST_ROW_CACHE_SECONDS)
    page = paginator.get_page(request.GET.get("page"))
    context.update(
        page_obj=page, suggestion_ids=[pk for pk, _ in page.object_list],
        rows=table_rows(request, page.object_list, terms),
        filters_html=filter_form_html(request, filterset, shown),
    )
    return render(request, "suggestions/list.html", context, status=status)


@role_required(propose_suggestions)
def suggestion_create(request):
    """写建议. `?reception=<id>` starts from one of the deputy's own station receptions,
    `?opinion=<id>` from a public opinion the deputy adopted (转为代表建议)."""
    posted = request.method == "POST"
    reception_id = request.GET.get("reception", "")
    opinion_id = request.GET.get("opinion", "")
    reception = own_receptions(request.user).filter(pk=reception_id).first() if reception_id.isdigit() else None
    opinion = convertible_opinions(request.user).filter(pk=opinion_id).first() if opinion_id.isdigit() else None
    initial = None
    if reception:
        initial = {"source_reception": reception.pk, "content": reception.content}
    elif opinion:
        initial = {"source_opinion": opinion.pk, "content": opinion.text}
    form = DraftForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user, initial=initial
    )
    if posted and form.is_valid():
        try:
            suggestion = services.create_draft(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("草稿已保存。确认无误后请点击“提交”，提交后才会送交人大工作人员。"))
            return redirect("suggestions:detail", pk=suggestion.pk)
    status = 400 if form.errors else 200
    return render(
        request, "suggestions/draft_form.html",
        {"form": form, "reception": reception, "opinion": opinion}, status=status,
    )


def _visible_or_404(request, pk, queryset=None):
    queryset = queryset if queryset is not None else Suggestion.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


@role_required(view_suggestions)
def suggestion_detail(request, pk):
    suggestion = _visible_or_404(
        request, pk, Suggestion.objects.select_related(
            "category", "lead_deputy", "lead_deputy__township", "township", "session", "lead_unit",
            "merged_into", "source_reception__visit__station", "source_opinion__station",
            "congress__region", "received_by",
        ),
    )
    context = {
        "suggestion": suggestion,
        "actions": actions_for(suggestion, request.user),
        "contact_first": request.user.role == Role.UNIT and services.contact_needed(suggestion),
        "is_lead_deputy": deputy_id_of(request.user) == suggestion.lead_deputy_id
        if request.user.role == Role.DEPUTY else False,
        **suggestion_parts(suggestion, request.user),
    }
    return render(request, "suggestions/detail.html", context)


def _form_initial(name, suggestion):
    if name == "edit":
        return {
            "title": suggestion.title, "kind": suggestion.kind, "category": suggestion.category_id,
            "content": suggestion.content,
        }
    return None


def step_view(request, pk, name):
    """One step of the loop: its form (GET), and on POST its service. A refused step shows the
    service's message: on the form when the input was wrong (400), or as a page (403/409)."""
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.STEP_PERMISSIONS[action.step].check(request.user)
    suggestion = _visible_or_404(request, pk, Suggestion.objects.select_related("lead_deputy", "lead_unit"))
    posted = request.method == "POST"
    if action.step == Step.REPLY and not posted and services.contact_needed(suggestion):
        services.check_party(suggestion, action.step, request.user)
        services.check_state(suggestion, action.step)
        # Said up front, before the unit fills the form and picks its PDF.
        messages.info(request, _("答复前须先记录与领衔代表的办前沟通情况。请先填写办前沟通，再答复。"))
        return redirect("suggestions:step", pk=suggestion.pk, name="contact")
    form = action.form(
        request.POST if posted else None, request.FILES if posted else None,
        suggestion=suggestion, user=request.user, initial=_form_initial(name, suggestion),
    )
    if posted:
        if form.is_valid():
            try:
                action.service(suggestion, by=request.user, **form.cleaned_data)
            except DomainError as error:
                if error.status_code != 400:
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(request, action.done)
                return redirect("suggestions:detail", pk=suggestion.pk)
    else:
        # Check the role, the party and the state before showing a form that cannot succeed.
        services.check_party(suggestion, action.step, request.user)
        services.check_state(suggestion, action.step)
    if form.errors and hasattr(form, "keep_uploads"):
        form.keep_uploads()  # a refused form keeps what was uploaded
    return render(
        request, "suggestions/step_form.html",
        {"suggestion": suggestion, "action": action, "form": form,
         "multipart": any(isinstance(f, django_forms.FileField) for f in form.fields.values())},
        status=400 if form.errors else 200,
    )


@role_required(view_suggestions)
def attachment_file(request, pk, attachment_id):
    """A draft's attachment, only for those who may see the suggestion."""
    suggestion = _visible_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, suggestion=suggestion)
    # The type and the download's name come from the stored file (named by its checked content:
    # .pdf, .jpg, .png, .webp) and the record, never from the name the uploader gave it.
    content_type = mimetypes.guess_type(attachment.file.name)[0] or "application/octet-stream"
    filename = download_name(f"{suggestion.code or suggestion.pk}-附件{attachment.pk}", attachment.file.name)
    return harden_file_response(stored_file_response(
        attachment.file.storage, attachment.file.name, filename=filename, content_type=content_type,
    ))


@role_required(view_suggestions)
def reply_file(request, pk, round):
    """A reply's signed PDF, only for those who may see the suggestion."""
    suggestion = _visible_or_404(request, pk)
    reply = get_object_or_404(Reply, suggestion=suggestion, round=round)
    return harden_file_response(stored_file_response(
        reply.attachment.storage, reply.attachment.name, filename=f"{suggestion.code}-答复-{round}.pdf",
        content_type="application/pdf",
    ))


@role_required(manage_suggestions)
def review(request):
    """交办: the staff's work queues — to review, to assign, extension requests, overdue, to close,
    to hear — with counts."""
    scope = Suggestion.objects.visible_to(request.user)
    today = timezone.localdate()
    counts = scope.aggregate(
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        accepted=Count("pk", filter=Q(state=State.ACCEPTED)),
        handling=Count("pk", filter=Q(state__in=HANDLING)),
        overdue=Count("pk", filter=Q(state__in=HANDLING, deadline__lt=today)),
        replied=Count("pk", filter=Q(state=State.REPLIED)),
        evaluated=Count("pk", filter=Q(state=State.EVALUATED)),
        hearing=Count("pk", filter=Q(state=State.HEARING)),
        key=Count("pk", filter=Q(state__in=HANDLING, is_key=True)),
    )
    queues = [
        (gettext_lazy("待审查"), "submitted", State.SUBMITTED),
        (gettext_lazy("待交办"), "accepted", State.ACCEPTED),
        (gettext_lazy("待办结"), "evaluated", State.EVALUATED),
        (gettext_lazy("待听证评议"), "hearing", State.HEARING),
    ]
    lists = [
        (title, state, counts[key], list(scope.filter(state=state).for_list().order_by("submitted_at", "pk")[:20]))
        for title, key, state in queues
    ]
    extensions = list(
        Extension.objects.filter(status=Extension.Status.PENDING, suggestion__in=scope)
        .select_related("suggestion", "suggestion__session", "unit")
        .order_by("requested_at")[:50]
    )
    return render(
        request, "suggestions/review.html",
        {"counts": counts, "lists": lists, "extensions": extensions},
    )


def _figures_for(request):
    """The figures of the requested scope; by default the latest year's."""
    form = FiguresForm(request.GET or None, user=request.user)
    if not form.is_bound:
        params = {"year": figure_years()[0]}
        form = FiguresForm(initial=params, user=request.user)
    else:
        params = form.scope() if form.is_valid() else {}
    return form, params, suggestion_figures(user=request.user, **params)


def _chart_data(figures):
    """What static/suggestions/figures.js draws (ECharts)."""
    return {
        "states": [{"name": str(row["name"]), "value": row["count"]} for row in figures.by_state if row["count"]],
        "units": {
            "names": [row["name"] for row in figures.by_unit],
            "assigned": [row["assigned"] for row in figures.by_unit],
            "replied": [row["replied"] for row in figures.by_unit],
            # Too few assigned to compare: no rate drawn (样本不足).
            "satisfaction": [None if row["too_few"] else row["satisfaction_rate"] for row in figures.by_unit],
        },
        "categories": [{"name": row["name"], "value": row["total"]} for row in figures.by_category],
        "townships": {
            "names": [row["name"] for row in figures.by_township],
            "total": [row["total"] for row in figures.by_township],
        },
        "rates": [
            {"name": str(label), "value": figures.totals[key]}
            for key, label in RATE_LABELS.items()
        ],
        "labels": {
            "assigned": _("交办"), "replied": _("答复"), "satisfaction": _("满意率（%）"),
            "total": _("件数"),
        },
    }


def _figures_title(params):
    parts = []
    if params.get("session"):
        parts.append(params["session"].name)
    if params.get("year"):
        parts.append(_("%(y)s年") % {"y": params["year"]})
    if params.get("township"):
        parts.append(params["township"].name)
    return "".join(parts) or _("全部")


@role_required(view_suggestion_figures)
def figures(request):
    """统计: the figures of a year or a session, with charts and the overdue list."""
    form, params, result = _figures_for(request)
    return render(
        request, "suggestions/figures.html",
        {
            "form": form, "figures": result, "title": _figures_title(params),
            "rate_labels": RATE_LABELS, "chart_data": _chart_data(result),
            "query": request.GET.urlencode(),
        },
    )


@role_required(view_suggestion_figures)
def figures_export(request):
    form, params, result = _figures_for(request)
    title = _("代表建议办理统计（%(scope)s）") % {"scope": _figures_title(params)}
    log(AuditEntry.Action.EXPORT, object_repr=title, changes={"filters": request.GET.dict()})
    return spreadsheets.figures_workbook_response(
        result, f"代表建议办理统计-{timezone.localdate():%Y%m%d}.xlsx", title
    )


@role_required(view_suggestions)
def suggestion_export(request):
    """The filtered list as .xlsx (what the user may see)."""
    filterset = filtered_suggestions(request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    queryset = queryset.prefetch_related(
        Prefetch("cosigners", queryset=Cosigner.objects.select_related("deputy")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
    )
    log(AuditEntry.Action.EXPORT, object_repr=_("导出代表建议"), changes={"filters": request.GET.dict()})
    rows = (spreadsheets.list_row(s) for s in queryset.iterator(chunk_size=500))
    return export_response(
        f"代表建议-{timezone.localdate():%Y%m%d}.xlsx", _("代表建议"), spreadsheets.LIST_COLUMNS, rows
    )


# --- Public disclosure (no account) -----------------------------------------------------------


@require_GET
def public_list(request):
    """公开答复: replies staff chose to publish; no names, no phone numbers."""
    replies = public_replies()
    term = (request.GET.get("q") or "").strip()
    if term:
        replies = replies.filter(Q(suggestion__title__icontains=term) | Q(text__icontains=term))
    page = Paginator(replies, 20).get_page(request.GET.get("page"))
    return render(
        request, "suggestions/public_list.html",
        {"page_obj": page, "replies": page.object_list, "term": term, "query": query_without_page(request)},
    )


@require_GET
def public_detail(request, reply_id):
    reply = get_object_or_404(public_replies(), pk=reply_id)
    return render(request, "suggestions/public_detail.html", {"reply": reply})
