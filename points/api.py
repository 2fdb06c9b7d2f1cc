"""履职积分 API: standings (staff), one deputy's points with every point's record (the deputy,
their group leader, staff), and the year's rules (staff)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Deputy
from divisions.scope import county_path, ranking_path, scope_of
from points import services
from points.ledger import ledger, standings
from points.models import PointRule
from points.permissions import manage_point_rules, view_point_rankings, view_point_rules, view_points
from points.selectors import visible_deputies

YEAR = OpenApiParameter("year", int, description="年度，默认今年")


def year_param(request):
    raw = request.query_params.get("year") or ""
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": "年度应为 2000 到 2100 之间的四位数字。"})
    return int(raw)


class StandingSerializer(serializers.Serializer):
    deputy = serializers.IntegerField(source="deputy_id")
    name = serializers.CharField()
    township = serializers.CharField()
    group = serializers.CharField()
    rank = serializers.IntegerField()
    total = serializers.IntegerField()
    by_event = serializers.DictField(child=serializers.IntegerField())


class EntrySerializer(serializers.Serializer):
    event = serializers.CharField()
    label = serializers.CharField()
    day = serializers.DateField()
    text = serializers.CharField()
    points = serializers.IntegerField()
    capped = serializers.BooleanField()
    source = serializers.SerializerMethodField()

    def get_source(self, entry) -> dict:
        return {"type": entry.content_type, "id": entry.object_id, "url": entry.url}


class StandingsView(ListAPIView):
    """All active deputies' points for a year, best first (`?township=`, `?group=`)."""

    serializer_class = StandingSerializer

    def get_permissions(self):
        return [view_point_rankings.drf()]

    @extend_schema(parameters=[YEAR, OpenApiParameter("township", int), OpenApiParameter("group", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: rows are standings of deputies
            return Deputy.objects.none()
        user = self.request.user
        table = standings(year_param(self.request), under=ranking_path(user))
        township = self.request.query_params.get("township")
        group = self.request.query_params.get("group")
        for value in (township, group):
            if value and not str(value).isdigit():
                raise ValidationError({"detail": "乡镇和小组应为编号。"})
        scope = scope_of(user)
        return table.filter(township_ids=None if scope.is_whole else scope.region_ids,
                            township_id=int(township) if township else None, group_id=int(group) if group else None)


class DeputyPointsView(APIView):
    """One deputy's total, rank and every point with its record."""

    def get_permissions(self):
        return [view_points.drf()]

    @extend_schema(parameters=[YEAR], responses=None)
    def get(self, request, pk):
        deputy = get_object_or_404(visible_deputies(request.user), pk=pk)
        year = year_param(request)
        table = standings(year, under=county_path(deputy.township))
        standing = table.of(deputy.pk)
        entries = ledger(deputy, year, rules=table.rules)
        return Response({
            "deputy": deputy.pk,
            "name": deputy.name,
            "year": year,
            "total": sum(e.points for e in entries),
            "rank": standing.rank if standing else None,
            "ranked": len(table.rows),
            "entries": EntrySerializer(entries, many=True).data,
        })


class PointRuleSerializer(serializers.ModelSerializer):
    event_display = serializers.CharField(source="get_event_display", read_only=True)

    class Meta:
        model = PointRule
        fields = ["id", "year", "event", "event_display", "points", "yearly_cap", "is_active", "updated_at"]
        read_only_fields = ["year", "event", "updated_at"]


class PointRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                       viewsets.GenericViewSet):
    """The year's rules (`?year=`); PATCH one to change it — the year's points follow at once."""

    serializer_class = PointRuleSerializer
    pagination_class = None

    def get_permissions(self):
        reading = self.action in ("list", "retrieve") or self.request is None or self.request.method in ("GET", "HEAD", "OPTIONS")
        return [(view_point_rules if reading else manage_point_rules).drf()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PointRule.objects.none()
        if self.action == "list":
            services.ensure_rules(year_param(self.request))
            return PointRule.objects.filter(year=year_param(self.request)).order_by("id")
        return PointRule.objects.all()

    def perform_update(self, serializer):
        rule = serializer.instance
        data = {"points": rule.points, "yearly_cap": rule.yearly_cap, "is_active": rule.is_active}
        data.update(serializer.validated_data)
        serializer.instance = services.save_rule(rule, by=self.request.user, **data)
