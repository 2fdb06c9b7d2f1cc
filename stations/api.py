"""The stations API: stations, memberships, shifts, visits with receptions, activities and
sign-ups. Same permissions and scopes as the pages (visible_to); writes go through services."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.models import Role
from core.exceptions import DomainError
from core.uploads import clean_image
from core.validators import validate_mobile
from divisions.api import RegionCodeField
from imports import api as imports_api
from stations import permissions, services
from stations.filters import ActivityFilter, MembershipFilter, ShiftFilter, SignupFilter, StationFilter, VisitFilter
from stations.models import (
    Activity,
    ActivitySignup,
    DutyAssignment,
    DutyShift,
    Reception,
    Station,
    StationMembership,
    Visit,
    VisitPhoto,
)

MAX_PHOTOS = 5


def _deputy_or_none(user):
    return getattr(user, "deputy", None) if getattr(user, "role", None) == Role.DEPUTY else None


# --- Stations and memberships ---------------------------------------------------------------


class StationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    region = RegionCodeField(source="township", help_text="站点所在乡镇（街道）的区划代码")
    public_url = serializers.CharField(read_only=True)
    member_count = serializers.IntegerField(read_only=True, default=0)
    visit_count = serializers.IntegerField(read_only=True, default=0)
    reception_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Station
        fields = [
            "id", "code", "name", "kind", "kind_display", "mode", "mode_display", "township",
            "township_name", "region", "address", "named_after", "manager", "opening_hours", "description",
            "duty_rule", "duty_enabled", "is_active", "public_url", "member_count", "visit_count",
            "reception_count",
        ]
        read_only_fields = ["code"]


class StationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """家室站点. Rows carry `id` and the public `code` (the station page is /s/<code>/); counts are
    members, visits and receptions this year. Staff create; staff and the station's manager edit."""

    serializer_class = StationSerializer
    filterset_class = StationFilter

    def get_permissions(self):
        permission = {
            "list": permissions.view_stations, "retrieve": permissions.view_stations,
            "create": permissions.create_stations, "import_stations": permissions.create_stations,
        }.get(self.action, permissions.edit_stations)
        return [permission.drf()]

    @imports_api.import_schema("站点", "stations_import")
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_stations(self, request):
        """Stations with their members from Excel (issue 19): `?dry_run=true` previews."""
        return imports_api.respond(request, "stations")

    def get_queryset(self):
        return Station.objects.visible_to(self.request.user).for_list().with_counts()

    def perform_create(self, serializer):
        serializer.instance = services.create_station(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_station(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )


class MembershipSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = StationMembership
        fields = ["id", "station", "station_name", "deputy", "deputy_name", "is_leader", "joined_on"]
        read_only_fields = ["joined_on"]
        validators = []  # a repeated membership is answered by the service (no duplicate made)


class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """编入家站点: which deputies belong to which station. Filters `station`, `deputy`, `township`."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_permissions(self):
        permission = permissions.view_stations if self.action in ("list", "retrieve") else permissions.edit_stations
        return [permission.drf()]

    def get_queryset(self):
        return (
            StationMembership.objects.filter(station__in=Station.objects.visible_to(self.request.user).values("pk"))
            .select_related("station", "deputy")
            .order_by("station_id", "-is_leader", "pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        services.add_members(data["station"], deputies=[data["deputy"]], by=self.request.user,
                             is_leader=data.get("is_leader", False))
        serializer.instance = StationMembership.objects.get(station=data["station"], deputy=data["deputy"])

    def perform_destroy(self, instance):
        services.remove_member(instance, by=self.request.user)


# --- Shifts ---------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    attendance_display = serializers.CharField(source="get_attendance_display", read_only=True)
    swapped_from_name = serializers.SerializerMethodField()

    class Meta:
        model = DutyAssignment
        fields = ["id", "deputy", "deputy_name", "attendance", "attendance_display", "swapped_from",
                  "swapped_from_name", "is_manual"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_swapped_from_name(self, assignment):
        return assignment.swapped_from.name if assignment.swapped_from else None


class ShiftSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    station_code = serializers.CharField(source="station.code", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = DutyShift
        fields = ["id", "station", "station_name", "station_code", "date", "moved_from", "start_time",
                  "end_time", "assignments"]


class ShiftViewSet(viewsets.ReadOnlyModelViewSet):
    """值班 (逢6进站). Filters `?month=YYYY-MM`, `?station=<id>`, `?deputy=<id>`, `?township=<id>`.
    Staff see all (township staff: theirs), managers their stations, deputies their stations."""

    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter

    def get_permissions(self):
        return [permissions.view_shifts.drf()]

    def get_queryset(self):
        return (
            DutyShift.objects.visible_to(self.request.user)
            .select_related("station")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=DutyAssignment.objects.select_related("deputy", "swapped_from").order_by("slot"),
                )
            )
            .order_by("date", "station_id")
        )


# --- Visits and receptions ------------------------------------------------------------------


class ReceptionSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None)
    handling_display = serializers.CharField(source="get_handling_display", read_only=True)
    visitor_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)

    class Meta:
        model = Reception
        fields = ["id", "visitor_name", "visitor_phone", "village", "village_name", "category", "category_name",
                  "content", "handling", "handling_display", "feedback"]

    def to_representation(self, reception):
        data = super().to_representation(reception)
        data["visitor_phone"] = reception.phone_for(self.context["request"].user)
        data["visitor_name"] = reception.name_for(self.context["request"].user)
        return data

    def validate_visitor_phone(self, value):
        if value:
            validate_mobile(value)
        return value

    def validate_category(self, category):
        if not category.is_active:
            raise serializers.ValidationError("该类别已停用，请选择其他类别。")
        return category


class VisitSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    receptions = ReceptionSerializer(many=True, required=False)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "deputy", "deputy_name", "station", "station_name", "date", "start_time", "end_time",
                  "summary", "receptions", "photos", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"deputy": {"required": False, "help_text": "只由站点管理员登记来访代表时填写；代表登记本人的进站履职时不填。"}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, visit):
        request = self.context["request"]
        return [request.build_absolute_uri(photo.image.url) for photo in visit.photos.all()]

    def validate_station(self, station):
        if not station.is_active:
            raise serializers.ValidationError("该站点已停用。")
        return station

    def validate(self, data):
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            raise serializers.ValidationError({"end_time": "结束时间必须晚于开始时间。"})
        return data


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False, max_length=MAX_PHOTOS)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """进站履职 with its receptions (接待群众). Deputies log and see their own; staff and station
    managers see their scope. Visitor phones are masked except for staff and the recorder.
    Photos: POST multipart `photos` to /visits/<id>/photos/ (up to 5, JPEG/PNG/WebP ≤ 5 MB)."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_permissions(self):
        if self.action == "create":
            return [(permissions.log_visits.drf | permissions.record_guest_visits.drf)()]
        permission = permissions.log_visits if self.action == "photos" else permissions.view_visits
        return [permission.drf()]

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.user)
            .select_related("deputy", "station")
            .prefetch_related(
                Prefetch("receptions", queryset=Reception.objects.select_related("category", "village")), "photos"
            )
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.record_visit(
            by=self.request.user, receptions=data.pop("receptions", []), **data
        )

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer}, responses=VisitSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        visit = self.get_object()
        if visit.recorded_by_id != request.user.pk:
            raise DomainError("只能为本人登记的进站履职上传照片。")
        files = request.FILES.getlist("photos")
        if not files:
            return Response({"photos": ["请选择照片。"]}, status=status.HTTP_400_BAD_REQUEST)
        if visit.photos.count() + len(files) > MAX_PHOTOS:
            return Response({"photos": [f"每次进站最多 {MAX_PHOTOS} 张照片。"]}, status=status.HTTP_400_BAD_REQUEST)
        cleaned = [clean_image(f) for f in files]  # ValidationError -> 400 with the Chinese message
        with transaction.atomic():
            for image in cleaned:
                VisitPhoto.objects.create(visit=visit, image=image)
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data, status=status.HTTP_201_CREATED)


# --- Activities and sign-ups ----------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    signup_count = serializers.IntegerField(read_only=True, default=0)
    # From the list's annotation; also present (null) in the answer to a partial update.
    signed_up = serializers.SerializerMethodField()
    township = serializers.IntegerField(source="township_id", read_only=True, allow_null=True,
                                        help_text="乡镇的活动：乡镇编号；县级及以上为 null")
    region = RegionCodeField(help_text="活动所属区域的区划代码；整个平台的活动为 null")

    class Meta:
        model = Activity
        fields = ["id", "title", "kind", "kind_display", "description", "starts_at", "ends_at", "place", "station",
                  "township", "region", "capacity", "signup_deadline", "status", "status_display", "signup_count",
                  "signed_up"]
        read_only_fields = ["status"]

    def validate(self, data):
        starts = data.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = data.get("ends_at", getattr(self.instance, "ends_at", None))
        deadline = data.get("signup_deadline", getattr(self.instance, "signup_deadline", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": "结束时间必须晚于开始时间。"})
        if starts and deadline and deadline > starts:
            raise serializers.ValidationError({"signup_deadline": "报名截止时间不能晚于活动开始时间。"})
        return data

    def get_signed_up(self, activity) -> bool | None:
        return getattr(activity, "signed_up", None)


class SignupSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = ActivitySignup
        fields = ["id", "activity", "activity_title", "deputy", "deputy_name", "signed_up_at", "cancelled_at",
                  "attendance"]


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ActivityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """活动. Staff and station managers publish; deputies `sign_up` and `withdraw`; organisers
    record `attendance` ({"attended": [deputy ids]}) and `cancel`. A full activity answers 409."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_permissions(self):
        permission = {
            "list": permissions.view_activities, "retrieve": permissions.view_activities,
            "sign_up": permissions.sign_up_activities, "withdraw": permissions.sign_up_activities,
        }.get(self.action, permissions.publish_activities)
        return [permission.drf()]

    def get_queryset(self):
        queryset = Activity.objects.visible_to(self.request.user).for_list()
        deputy = _deputy_or_none(self.request.user)
        if deputy is not None:
            queryset = queryset.annotate(
                signed_up=Exists(
                    ActivitySignup.objects.filter(activity=OuterRef("pk"), deputy=deputy, cancelled_at__isnull=True)
                )
            )
        return queryset

    def perform_create(self, serializer):
        serializer.instance = services.publish_activity(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_activity(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        services.sign_up(self.get_object(), by=request.user)
        return Response(self._fresh(pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.cancel_sign_up(self.get_object(), by=request.user)
        return Response(self._fresh(pk))

    @extend_schema(request=AttendanceSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.mark_attendance(self.get_object(), by=request.user, attended=body.validated_data["attended"])
        return Response(self._fresh(pk))

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        services.cancel_activity(self.get_object(), by=request.user, reason=str(request.data.get("reason", ""))[:200])
        return Response(self._fresh(pk))


class SignupViewSet(viewsets.ReadOnlyModelViewSet):
    """活动报名. Deputies see their own; organisers the sign-ups of activities they may see.
    Filters `activity`, `deputy`, `attendance`."""

    serializer_class = SignupSerializer
    filterset_class = SignupFilter

    def get_permissions(self):
        return [permissions.view_activities.drf()]

    def get_queryset(self):
        queryset = ActivitySignup.objects.select_related("deputy", "activity").order_by("activity_id", "signed_up_at")
        deputy = _deputy_or_none(self.request.user)
        if getattr(self.request.user, "role", None) == Role.DEPUTY:
            return queryset.filter(deputy=deputy) if deputy is not None else queryset.none()
        activities = Activity.objects.visible_to(self.request.user)
        if not activities.query.has_filters():
            # County-wide staff see every activity: no semi-join over all of them, so the
            # page's count reads one small index instead of joining every sign-up.
            return queryset
        return queryset.filter(activity__in=activities.values("pk"))
