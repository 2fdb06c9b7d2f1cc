from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser

from audit.registry import note_view
from deputies import services
from deputies.filters import DeputyFilter
from deputies.models import Deputy, Seat
from divisions.api import RegionCodeField
from imports import api as imports_api
from deputies.permissions import manage_deputies, view_deputies


class SeatSerializer(serializers.ModelSerializer):
    congress = serializers.CharField(source="congress.name", read_only=True, allow_null=True, default=None)
    region = RegionCodeField(source="congress.region", help_text="所在人大的区划代码；全国、省人大为 null")
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    end_reason = serializers.ChoiceField(choices=Seat.EndReason.choices, allow_blank=True, read_only=True,
                                         help_text="终止原因（在任时为空）")

    class Meta:
        model = Seat
        fields = ["congress", "region", "level", "level_display", "term", "constituency", "status", "status_display",
                  "started_on", "ended_on", "end_reason"]
        read_only_fields = fields


class DeputySerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    region = RegionCodeField(source="township", help_text="代表所在乡镇（街道）的区划代码")
    seats = SeatSerializer(many=True, read_only=True, help_text="代表在各级人大的席位")
    group_name = serializers.SerializerMethodField()
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    def to_representation(self, instance):
        if instance.phone:  # a full number in the answer: noted for the request's one 查阅 entry
            note_view("代表")
        return super().to_representation(instance)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "level",
            "level_display",
            "term",
            "constituency",
            "township",
            "township_name",
            "region",
            "seats",
            "group",
            "group_name",
            "occupation",
            "sector",
            "phone",
            "email",
            "status",
            "status_display",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_group_name(self, deputy):
        return deputy.group.name if deputy.group else None


class DeputyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """人大代表. Staff read and write; `?search=` matches name, full pinyin and initials."""

    serializer_class = DeputySerializer
    filterset_class = DeputyFilter

    def get_permissions(self):
        permission = view_deputies if self.action in ("list", "retrieve") else manage_deputies
        return [permission.drf()]

    def get_queryset(self):
        return Deputy.objects.visible_to(self.request.user).for_list().with_seats()

    def perform_create(self, serializer):
        serializer.instance = services.create_deputy(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_deputy(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @imports_api.import_schema("代表", "deputies_import")
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_roster(self, request):
        """The roster import (issue 19): `?dry_run=true` previews; otherwise all rows or none."""
        return imports_api.respond(request, "deputies")
