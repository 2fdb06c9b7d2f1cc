"""Dashboard figures, award shortlists and annual reports over the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from divisions.models import Township
from points.api import year_param
from reports import services
from reports.awards import shortlist
from reports.figures import year_figures
from reports.models import AwardKind, GeneratedReport
from reports.permissions import generate_annual_report, manage_awards, view_dashboard


def township_param(request):
    user = request.user
    if user.scope_township_id:
        return Township.objects.get(pk=user.scope_township_id)
    raw = request.query_params.get("township")
    if not raw:
        return None
    township = Township.objects.filter(pk=raw).first() if str(raw).isdigit() else None
    if township is None:
        raise ValidationError({"township": "没有这个乡镇。"})
    return township


class DashboardView(APIView):
    """The dashboard's figures for `?year=` and optionally `?township=` (the same numbers as the
    dashboard page and the annual report)."""

    def get_permissions(self):
        return [view_dashboard.drf()]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("township", int)], responses=None)
    def get(self, request):
        return Response(year_figures(year_param(request), township_param(request)).as_json())


class ShortlistView(APIView):
    """A ranked “四最” shortlist: `?kind=best_deputy|best_station|best_suggestion|best_unit&year=`."""

    def get_permissions(self):
        return [manage_awards.drf()]

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("year", int)], responses=None)
    def get(self, request):
        kind = request.query_params.get("kind", AwardKind.BEST_DEPUTY)
        if kind not in AwardKind.values:
            raise ValidationError({"kind": "奖项应为 " + "、".join(AwardKind.values) + " 之一。"})
        rows, headers, score_header = shortlist(kind, year_param(request), township_param(request))
        return Response({"kind": kind, "columns": headers, "score": score_header, "results": rows})


class GeneratedReportSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    docx_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = ["id", "year", "township", "status", "status_display", "progress", "step", "error",
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
    """Annual reports: POST {"year", "township"?} queues one; GET shows its progress."""

    serializer_class = GeneratedReportSerializer
    queryset = GeneratedReport.objects.select_related("township").order_by("-created_at", "-id")

    def get_permissions(self):
        return [generate_annual_report.drf()]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.request_annual_report(
            year=serializer.validated_data["year"], township=serializer.validated_data.get("township"),
            by=request.user,
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=False, methods=["get"])
    def latest(self, request):
        report = self.get_queryset().first()
        return Response(self.get_serializer(report).data if report else None)
