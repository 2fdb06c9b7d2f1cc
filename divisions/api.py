"""The regions API (`GET /api/v1/regions/`): the regions a user may see, with their 行政区划
code, name, level and parent's code. Other apps' API objects name their region by its code
through `RegionCodeField`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from divisions.models import Region
from divisions.scope import regions_within


@extend_schema_field(serializers.CharField(allow_null=True, help_text="行政区划代码"))
class RegionCodeField(serializers.Field):
    """A record's region as its 行政区划 code (read only). `source` leads to a Region."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True  # a source through a null relation is null, never left out
        super().__init__(**kwargs)

    def to_representation(self, region):
        return (region.code or None) if region is not None else None

    def get_attribute(self, instance):
        try:
            return super().get_attribute(instance)
        except (AttributeError, KeyError):
            return None


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    parent = serializers.SerializerMethodField(help_text="上级区域的区划代码（顶层为 null）")

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "level_display", "kind", "parent"]

    def get_parent(self, region) -> str | None:
        return self.context["parents"].get(region.path[: (region.depth - 1) * region.steplen])


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """行政区域: the regions the user may see (their region and everything under it; the whole
    tree for admins and for the deputies, units and station managers who use the lists), in tree
    order. Filter `?level=city|county|township`."""

    serializer_class = RegionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        queryset = regions_within(self.request.user)
        level = self.request.query_params.get("level")
        if level in Region.Level.values:
            queryset = queryset.filter(level=level)
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parents"] = dict(Region.objects.values_list("path", "code"))
        return context
