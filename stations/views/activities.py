"""活动 (sign-ups and attendance) and 学习资料 (reads)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.exceptions import DomainError
from core.http import query_without_page
from stations import permissions, services
from stations.filters import ActivityFilter
from stations.forms import ActivityForm, CancelActivityForm, MaterialForm
from stations.models import Activity, ActivitySignup, LearningMaterial, MaterialRead
from stations.views.common import form_status


def _deputy_or_none(user):
    return getattr(user, "deputy", None) if getattr(user, "role", None) == Role.DEPUTY else None


@role_required(permissions.view_activities)
def activity_list(request):
    queryset = Activity.objects.visible_to(request.user).for_list()
    deputy = _deputy_or_none(request.user)
    if deputy is not None:
        queryset = queryset.annotate(
            signed_up=Exists(
                ActivitySignup.objects.filter(activity=OuterRef("pk"), deputy=deputy, cancelled_at__isnull=True)
            )
        )
    data = request.GET.copy()
    data.setdefault("when", "upcoming")
    activity_filter = ActivityFilter(data, queryset=queryset, request=request)
    page = Paginator(activity_filter.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/activity_list.html",
        {
            "filter": activity_filter,
            "page_obj": page,
            "activities": page.object_list,
            "paginator": page.paginator,
            "query": query_without_page(request),
            "now": timezone.now(),
        },
    )


def _visible_activity(request, pk):
    return get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("station", "region", "organizer").with_counts(),
        pk=pk,
    )


def _detail_response(request, activity, *, status=200, error=None):
    deputy = _deputy_or_none(request.user)
    my_signup = (
        ActivitySignup.objects.filter(activity=activity, deputy=deputy, cancelled_at__isnull=True).first()
        if deputy is not None
        else None
    )
    organiser = services.can_manage_activity(request.user, activity)
    signups = (
        ActivitySignup.objects.filter(activity=activity, cancelled_at__isnull=True)
        .select_related("deputy", "deputy__township")
        .order_by("signed_up_at")
        if organiser
        else None
    )
    return render(
        request,
        "stations/activity_detail.html",
        {
            "activity": activity,
            "my_signup": my_signup,
            "is_deputy": deputy is not None,
            "organiser": organiser,
            "signups": signups,
            "now": timezone.now(),
            "full": activity.capacity is not None and activity.signup_count >= activity.capacity,
            "cancel_form": CancelActivityForm(),
            "error": error,
        },
        status=status,
    )


@role_required(permissions.view_activities)
def activity_detail(request, pk):
    return _detail_response(request, _visible_activity(request, pk))


@role_required(permissions.publish_activities)
def activity_edit(request, pk=None):
    activity = _visible_activity(request, pk) if pk else None
    if activity is not None and not services.can_manage_activity(request.user, activity):
        raise PermissionDenied(_("您只能修改本人或本站点的活动。"))
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if activity is None:
                activity = services.publish_activity(by=request.user, **fields)
            else:
                services.update_activity(Activity.objects.get(pk=pk), by=request.user, **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发布活动。") if pk is None else _("已保存。"))
            return redirect("stations:activity_detail", pk=activity.pk)
    return render(
        request, "stations/activity_form.html", {"form": form, "activity": activity}, status=form_status(request, form)
    )


def _act(request, pk, act, success):
    """Run one service on the activity and go back to its page; a refusal is shown on the page
    with its status (409 when the activity is full)."""
    activity = _visible_activity(request, pk)
    try:
        result = act(activity)
    except DomainError as exc:
        return _detail_response(request, _visible_activity(request, pk), status=exc.status_code, error=exc.message)
    messages.success(request, success(result) if callable(success) else success)
    return redirect("stations:activity_detail", pk=pk)


@role_required(permissions.publish_activities)
@require_POST
def activity_cancel(request, pk):
    form = CancelActivityForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, pk, lambda a: services.cancel_activity(a, by=request.user, reason=reason),
        _("活动已取消，已报名的代表会收到通知。"),
    )


@role_required(permissions.sign_up_activities)
@require_POST
def activity_sign_up(request, pk):
    return _act(request, pk, lambda a: services.sign_up(a, by=request.user), _("报名成功。"))


@role_required(permissions.sign_up_activities)
@require_POST
def activity_cancel_sign_up(request, pk):
    return _act(request, pk, lambda a: services.cancel_sign_up(a, by=request.user), _("已取消报名。"))


@role_required(permissions.publish_activities)
@require_POST
def activity_attendance(request, pk):
    ids = [value for value in request.POST.getlist("attended") if value.isdigit()]
    return _act(
        request, pk, lambda a: services.mark_attendance(a, by=request.user, attended=ids),
        lambda count: _("已登记出席 %(n)s 人。") % {"n": count},
    )


# --- Learning materials ---------------------------------------------------------------------


@role_required(permissions.read_materials)
def material_list(request):
    materials = LearningMaterial.objects.visible_to(request.user)
    deputy = _deputy_or_none(request.user)
    if deputy is not None:
        materials = materials.annotate(
            is_read=Exists(MaterialRead.objects.filter(material=OuterRef("pk"), deputy=deputy))
        )
    if permissions.view_material_reads.has(request.user):
        # Counted per material on the page (a JOIN with GROUP BY read every read first).
        reads = (
            MaterialRead.objects.filter(material=OuterRef("pk")).order_by().values("material")
            .annotate(n=Count("pk")).values("n")
        )
        materials = materials.annotate(
            read_count=Coalesce(Subquery(reads, output_field=IntegerField()), 0)
        ).order_by("-published_at", "-id")
    page = Paginator(materials, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/material_list.html",
        {"page_obj": page, "materials": page.object_list, "paginator": page.paginator, "query": "",
         "now": timezone.now()},
    )


@role_required(permissions.read_materials)
def material_detail(request, pk):
    material = get_object_or_404(LearningMaterial.objects.visible_to(request.user), pk=pk)
    services.record_read(material, by=request.user)
    readers = None
    if permissions.view_material_reads.has(request.user):
        readers = Paginator(
            MaterialRead.objects.filter(material=material).select_related("deputy", "deputy__township"), 50
        ).get_page(request.GET.get("page"))
    return render(request, "stations/material_detail.html", {"material": material, "readers": readers})


@role_required(permissions.publish_materials)
def material_edit(request, pk=None):
    material = get_object_or_404(LearningMaterial, pk=pk) if pk else LearningMaterial()
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        material = services.publish_material(
            LearningMaterial.objects.get(pk=pk) if pk else LearningMaterial(), by=request.user, **fields
        )
        messages.success(request, _("已发布学习资料。") if pk is None else _("已保存。"))
        return redirect("stations:material_detail", pk=material.pk)
    return render(
        request, "stations/material_form.html", {"form": form, "material": material if pk else None},
        status=form_status(request, form),
    )
