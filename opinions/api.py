"""The opinions API.

Public (no account, no CSRF, the same anti-abuse rules as the page):
- `POST /api/v1/public/opinions/` {"station": "<code>", "category": <id or name>, "content",
  "name", "phone", "consent": true} → 201 {"tracking_code"};
- `GET /api/v1/public/opinions/<tracking_code>/` → status, timeline, public reply (never the
  name or the number);
- `POST /api/v1/public/opinions/<tracking_code>/rating/` {"rating", "comment"} once closed.

Signed in: `GET /api/v1/opinions/` (the same scope and filters as the list page),
`GET /api/v1/opinions/<id>/` and one action per step (adopt, answer, refer, accept, return,
reply), each calling its service."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core import abuse
from core.search import request_terms, snippet
from core.uploads import clean_image
from core.validators import validate_mobile
from divisions.forms import region_by_key
from divisions.models import HandlingUnit
from opinions import services
from opinions.filters import OpinionFilter
from opinions.models import (
    CONTENT_MAX_LENGTH,
    CONTENT_MIN_LENGTH,
    MAX_PHOTOS,
    Opinion,
    Rating,
    TimelineEntry,
    normalize_tracking_code,
)
from opinions.permissions import view_opinions
from divisions.api import RegionCodeField
from stations.models import Category, Station

# --- Public ---------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "description": "类别名称（如“交通出行”）或类别编号"})
class CategoryField(serializers.Field):
    """A category by its id or its name ("交通出行")."""

    default_error_messages = {"invalid": _("请选择意见类别（类别编号或名称，例如“交通出行”）。")}

    def to_internal_value(self, data):
        categories = Category.objects.filter(is_active=True)
        text = str(data).strip()
        category = (
            categories.filter(pk=int(text)).first() if text.isdigit() else categories.filter(name=text).first()
        )
        if category is None:
            self.fail("invalid")
        return category

    def to_representation(self, value):
        return value.name


@extend_schema_serializer(component_name="PublicOpinionSubmit")
class PublicOpinionCreateSerializer(serializers.Serializer):
    station = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Station.objects.active(),
        error_messages={"does_not_exist": _("没有找到该站点，请重新扫描站点二维码。"), "required": _("缺少站点编码。")},
    )
    category = CategoryField(error_messages={"required": _("请选择意见类别。")})
    content = serializers.CharField(
        min_length=CONTENT_MIN_LENGTH,
        max_length=CONTENT_MAX_LENGTH,
        error_messages={
            "required": _("请写下您的意见。"),
            "blank": _("请写下您的意见。"),
            "min_length": _("意见内容至少{min_length}个字，请写清楚一些。"),
            "max_length": _("意见内容最多{max_length}个字。"),
        },
    )
    name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    # No default: "" would break the mobile-number pattern the schema states (absent means none).
    phone = serializers.CharField(max_length=11, required=False, allow_blank=True, validators=[validate_mobile])
    consent = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=MAX_PHOTOS,
        error_messages={"max_length": _("最多上传3张照片。")},
    )
    website = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)

    def validate_photos(self, files):
        try:
            return [clean_image(f) for f in files]
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate(self, data):
        if (data.get("name") or data.get("phone")) and not data.get("consent"):
            raise serializers.ValidationError({"consent": [_("留下姓名或电话时，请勾选同意使用个人信息。")]})
        return data


class TrackingCodeSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()


class PublicTimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    text = serializers.CharField(source="public_text")


class PublicOpinionSerializer(serializers.ModelSerializer):
    """What anyone holding the code may read: never the name or the number."""

    station = serializers.CharField(source="station.name")
    category = serializers.CharField(source="category.name")
    status = serializers.CharField(source="state")
    status_display = serializers.CharField(source="get_state_display")
    content = serializers.CharField(source="text")
    submitted_at = serializers.DateTimeField(source="created_at")
    timeline = serializers.SerializerMethodField()
    can_rate = serializers.BooleanField(source="can_be_rated")
    rating_display = serializers.CharField(source="get_rating_display")
    # "" until the person rates the handling (the schema names that blank value too).
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "tracking_code", "station", "category", "status", "status_display", "content",
            "submitted_at", "timeline", "reply", "replied_at", "can_rate", "rating",
            "rating_display", "rated_at",
        ]

    @extend_schema_field(PublicTimelineSerializer(many=True))
    def get_timeline(self, opinion):
        return PublicTimelineSerializer([e for e in opinion.timeline.all() if e.public_text], many=True).data


class RatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(
        choices=Rating.choices, error_messages={"invalid_choice": _("请选择满意、基本满意或不满意。")}
    )
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PublicOpinionViewSet(viewsets.GenericViewSet):
    """群众意见（公开）: submit without an account, follow by tracking code, rate once."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]  # multipart for the photos
    lookup_field = "tracking_code"
    lookup_value_regex = "[^/]+"
    queryset = Opinion.objects.none()
    serializer_class = PublicOpinionSerializer

    def get_object(self):
        abuse.check_lookup_rate(self.request, services.ABUSE_SCOPE)
        code = normalize_tracking_code(self.kwargs["tracking_code"])
        opinion = (
            Opinion.objects.select_related("station", "category")
            .prefetch_related("timeline")
            .filter(tracking_code=code)
            .first()
            if code
            else None
        )
        if opinion is None:
            raise Http404
        return opinion

    # Described as multipart (it takes photos); JSON without photos is accepted as well. One body
    # per operation is what client generators handle (see suggestions.api.form_schema).
    @extend_schema(
        request={"multipart/form-data": PublicOpinionCreateSerializer}, responses={201: TrackingCodeSerializer},
    )
    def create(self, request):
        serializer = PublicOpinionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opinion = services.submit_from_request(request, station=serializer.validated_data["station"],
                                               data=serializer.validated_data)
        return Response({"tracking_code": opinion.tracking_code}, status=status.HTTP_201_CREATED)

    def retrieve(self, request, tracking_code=None):
        return Response(PublicOpinionSerializer(self.get_object()).data)

    @extend_schema(request=RatingSerializer, responses={200: PublicOpinionSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def rating(self, request, tracking_code=None):
        opinion = self.get_object()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rate(opinion, **serializer.validated_data)
        opinion = Opinion.objects.prefetch_related("timeline").select_related("station", "category").get(pk=opinion.pk)
        return Response(PublicOpinionSerializer(opinion).data)


# --- Signed in ------------------------------------------------------------------------------


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    step = serializers.CharField()
    step_display = serializers.CharField(source="get_step_display")
    actor = serializers.CharField(source="actor_name")
    note = serializers.CharField()
    public_text = serializers.CharField()
    from_congress = serializers.CharField(source="from_congress.name", default=None, allow_null=True)
    to_congress = serializers.CharField(source="to_congress.name", default=None, allow_null=True)


class OpinionSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    township = serializers.IntegerField(source="station.township_id", read_only=True)
    region = RegionCodeField(source="station.township", help_text="意见所在站点的乡镇（街道）区划代码")
    category_name = serializers.CharField(source="category.name", read_only=True)
    content = serializers.CharField(source="text", read_only=True)
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    adopted_by_name = serializers.SerializerMethodField()
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)
    unit_name = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    snippet = serializers.SerializerMethodField(
        help_text="With ?q=: about 60 characters of the content (or the reply) around the first word found, "
        "HTML-escaped, the words in <mark>; else empty."
    )

    class Meta:
        model = Opinion
        fields = [
            "id", "tracking_code", "source", "station", "station_name", "township", "region", "category",
            "category_name", "content", "name", "phone", "state", "state_display", "adopted_by",
            "adopted_by_name", "unit", "unit_name", "due_at", "is_overdue", "reply", "closed_at",
            "rating", "created_at", "snippet",
        ]
        read_only_fields = fields

    def get_name(self, opinion) -> str:
        return opinion.name_for(self.context["request"].user)

    def get_phone(self, opinion) -> str:
        return opinion.phone_for(self.context["request"].user)

    def get_adopted_by_name(self, opinion) -> str:
        return opinion.adopted_by.name if opinion.adopted_by_id else ""

    def get_unit_name(self, opinion) -> str:
        return opinion.unit.name if opinion.unit_id else ""

    def get_snippet(self, opinion) -> str:
        terms = request_terms(self.context)
        if not terms:
            return ""
        text = opinion.text
        if opinion.reply and not any(term.lower() in text.lower() for term in terms):
            text = opinion.reply
        return str(snippet(text, terms))


class OpinionDetailSerializer(OpinionSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    timeline = TimelineEntrySerializer(many=True, read_only=True)

    class Meta(OpinionSerializer.Meta):
        fields = OpinionSerializer.Meta.fields + ["congress", "congress_name", "received_by", "timeline"]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=CONTENT_MAX_LENGTH)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=4, max_length=200, help_text="查看原因（记入操作日志）")


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class ReferSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.filter(is_active=True))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    to_region = serializers.CharField(
        max_length=20, help_text=_("接收的人大所在地区的行政区划代码（没有代码的地区用其编号）：上级人大或下一级人大")
    )
    reason = serializers.CharField(max_length=500, help_text=_("转办理由"))

    def validate_to_region(self, value):
        region = region_by_key(value)
        if region is None:
            raise serializers.ValidationError(_("没有这个行政区域：%(value)s。") % {"value": value})
        return region


def _with_timeline(queryset):
    return queryset.select_related("congress").prefetch_related(
        Prefetch("timeline", queryset=TimelineEntry.objects.select_related("from_congress", "to_congress"))
    )


class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """群众意见: staff see their scope, deputies their stations', units what was referred to them."""

    filterset_class = OpinionFilter

    def get_permissions(self):
        return [view_opinions.drf()]

    def get_queryset(self):
        queryset = Opinion.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            queryset = _with_timeline(queryset)
        return queryset

    def get_serializer_class(self):
        return OpinionDetailSerializer if self.action == "retrieve" else OpinionSerializer

    def _step(self, request, serializer_class, call):
        opinion = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        call(opinion, request.user, serializer.validated_data)
        opinion = _with_timeline(self.get_queryset()).get(pk=opinion.pk)
        return Response(OpinionDetailSerializer(opinion, context={"request": request}).data)

    @extend_schema(request=NoteSerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        return self._step(request, NoteSerializer, lambda o, by, d: services.adopt(o, by=by, **d))

    @extend_schema(request=ReplySerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, ReplySerializer, lambda o, by, d: services.answer(o, by=by, **d))

    @extend_schema(request=ReferSerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        return self._step(request, ReferSerializer, lambda o, by, d: services.refer(o, by=by, **d))

    @extend_schema(request=NoteSerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, NoteSerializer, lambda o, by, d: services.accept_referral(o, by=by, **d))

    @extend_schema(request=ReturnSerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_referral(self, request, pk=None):
        return self._step(request, ReturnSerializer, lambda o, by, d: services.return_referral(o, by=by, **d))

    @extend_schema(request=ReplySerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._step(request, ReplySerializer, lambda o, by, d: services.reply_to(o, by=by, **d))

    @extend_schema(request=TransferSerializer, responses=OpinionDetailSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """转办: staff of the holding congress hand the opinion to a congress up the parent chain
        or directly below, with a reason. The receiver holds it from now on; the sender reads it."""
        return self._step(request, TransferSerializer, lambda o, by, d: services.transfer(o, by=by, **d))

    @extend_schema(request=RevealSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The unit handling it, or a deputy of its station, reveals the citizen's full name and
        number to call them, with a reason (logged as 查阅)."""
        opinion = self.get_object()
        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.reveal_contact(opinion, by=request.user, reason=serializer.validated_data["reason"])
        return Response(ContactSerializer(contact).data)
