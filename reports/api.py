"""Dashboard figures, award shortlists and annual reports over the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from divisions.models import Region, Township
from divisions.scope import region_for, within
from points.api import year_param
from reports import services
from reports.awards import shortlist
from reports.figures import year_figures
from reports.models import AwardKind, GeneratedReport
from reports.permissions import generate_annual_report, manage_awards, view_dashboard


def region_param(request):
    """The region of `?region=<区划代码>` (or `?township=<id>`) within the user's scope, or the
    user's own region when none is asked for (None: the whole deployment)."""
    code, township = request.query_params.get("region"), request.query_params.get("township")
    if not code and not township:
        return region_for(request.user)
    found = (Region.objects.filter(code=code) if code else
             Region.objects.townships().filter(pk=township) if str(township).isdigit() else Region.objects.none())
    region = found.filter(within(request.user, "")).first()
    if region is None:
        raise ValidationError({"region" if code else "township": "没有这个区域，或不在您的管辖范围内。"})
    return region


class DashboardView(APIView):
    """The dashboard's figures for `?year=` and optionally `?township=` (the same numbers as the
    dashboard page and the annual report)."""

    def get_permissions(self):
        return [view_dashboard.drf()]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("region", str),
                               OpenApiParameter("township", int)], responses=None)
    def get(self, request):
        return Response(year_figures(year_param(request), region_param(request)).as_json())


class ShortlistView(APIView):
    """A ranked “四最” shortlist: `?kind=best_deputy|best_station|best_suggestion|best_unit&year=`.
    `results` are the ranked candidates; `too_few` those with fewer items than the congress's
    `min_items_to_rank` (not ranked), each with its count (`items`)."""

    def get_permissions(self):
        return [manage_awards.drf()]

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("year", int)], responses=None)
    def get(self, request):
        kind = request.query_params.get("kind", AwardKind.BEST_DEPUTY)
        if kind not in AwardKind.values:
            raise ValidationError({"kind": "奖项应为 " + "、".join(AwardKind.values) + " 之一。"})
        rows, headers, score_header = shortlist(kind, year_param(request), region_param(request))
        results = [{k: v for k, v in row.items() if k not in ("items", "too_few")} for row in rows]
        too_few = [{k: v for k, v in row.items() if k != "too_few"} for row in rows.too_few]
        return Response({"kind": kind, "columns": headers, "score": score_header, "results": results,
                         "too_few": too_few})


class GeneratedReportSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.exclude(code=""), required=False, allow_null=True,
        help_text="报告所属区域的区划代码；不填为本人管辖的整个区域",
    )
    township = serializers.PrimaryKeyRelatedField(
        queryset=Township.objects.all(), required=False, allow_null=True, write_only=True,
        help_text="乡镇编号（旧参数，与 region 二选一）",
    )
    docx_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = ["id", "year", "region", "township", "status", "status_display", "progress", "step", "error",
                  "created_at", "finished_at", "docx_url", "xlsx_url"]
        read_only_fields = ["status", "progress", "step", "error", "created_at", "finished_at"]

    def _url(self, report, kind) -> str | None:
        if report.status != GeneratedReport.Status.DONE:
            return None
        return f"/reports/annual/{report.pk}/report.{kind}"

    def get_docx_url(self, report) -> str | None:
        return self._url(report, "docx")

    def get_xlsx_url(self, report) -> str | None:
        return self._url(report, "xlsx")

    def validate_year(self, value):
        if not 2000 <= value <= 2100:
            raise serializers.ValidationError("年度应为 2000 到 2100 之间的四位数字。")
        return value


class GeneratedReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             viewsets.GenericViewSet):
    """Annual reports: POST {"year", "region"?: 区划代码, "township"?: id} queues one for a region
    (none: the user's own); GET shows its progress."""

    serializer_class = GeneratedReportSerializer

    def get_queryset(self):
        return GeneratedReport.objects.filter(within(self.request.user, "region")).select_related(
            "region").order_by("-created_at", "-id")

    def get_permissions(self):
        return [generate_annual_report.drf()]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        region = serializer.validated_data.get("region") or serializer.validated_data.get("township")
        report = services.request_annual_report(
            year=serializer.validated_data["year"], region=region_for(request.user, region), by=request.user,
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=False, methods=["get"])
    def latest(self, request):
        report = self.get_queryset().first()
        return Response(self.get_serializer(report).data if report else None)
