"""/api/v1/suggestions/: the list (filters as on the page), a deputy's draft (POST), one
suggestion with its handling record, one POST action per step (from steps.ACTIONS, validated by
the same forms as the pages), and the figures. Scoped by `Suggestion.objects.visible_to`."""

from django import forms as django_forms
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from core.search import highlight, request_terms, snippet
from divisions.api import RegionCodeField
from divisions.models import Congress
from suggestions import services
from suggestions.filters import SuggestionFilter
from suggestions.forms import DraftForm, FiguresForm
from suggestions.models import Suggestion
from suggestions.permissions import propose_suggestions, view_suggestion_figures, view_suggestions
from suggestions.selectors import suggestion_figures, suggestion_parts
from suggestions.steps import ACTIONS


def form_errors(form):
    """A Django form's errors in DRF's shape: {"field": ["message", ...]}."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


def validated(form):
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


_SCHEMA_FIELDS = [
    (django_forms.ModelMultipleChoiceField, lambda f: serializers.ListField(child=serializers.IntegerField(), required=f.required)),
    (django_forms.ModelChoiceField, lambda f: serializers.IntegerField(required=f.required)),
    (django_forms.MultipleChoiceField, lambda f: serializers.MultipleChoiceField(choices=f.choices, required=f.required)),
    (django_forms.ChoiceField, lambda f: serializers.ChoiceField(choices=f.choices, required=f.required)),
    (django_forms.DateField, lambda f: serializers.DateField(required=f.required)),
    (django_forms.FileField, lambda f: serializers.ListField(child=serializers.FileField(), required=False)
        if getattr(f, "max_count", None) else serializers.FileField(required=f.required)),
    (django_forms.CharField, lambda f: serializers.CharField(required=f.required, allow_blank=not f.required)),
]


def _file_fields(form_class):
    return {n: f for n, f in form_class.base_fields.items() if isinstance(f, django_forms.FileField)}


def form_parsers(form_class):
    """JSON for a form without files; multipart for one that needs a file; both where the files
    are optional (a draft can be written in JSON and its attachments added by multipart)."""
    files = _file_fields(form_class)
    if not files:
        return [JSONParser]
    if any(f.required for f in files.values()):
        return [MultiPartParser]
    return [JSONParser, MultiPartParser]


def form_schema(form_class, name):
    """The request body of a form, for the OpenAPI schema only: `{media type: serializer}`, or
    None for a form without fields (the step takes no body). A form with a file field is
    described as multipart only, even where the server also takes JSON without the files: one
    body per operation is what client generators handle (openapi-python-client mixes up two).
    The component is named `<name>Request` (COMPONENT_SPLIT_REQUEST adds "Request")."""
    fields = {}
    for field_name, field in form_class.base_fields.items():
        for kind, make in _SCHEMA_FIELDS:
            if isinstance(field, kind):
                fields[field_name] = make(field)
                fields[field_name].help_text = str(field.label)
                break
    if not fields:
        return None
    media_type = "multipart/form-data" if _file_fields(form_class) else "application/json"
    return {media_type: inline_serializer(name=name, fields=fields)}


# A list's row, named apart from the list itself ("PaginatedSuggestionSummaryList" in the schema).
@extend_schema_serializer(component_name="SuggestionSummary")
class SuggestionListSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    region = RegionCodeField(source="congress.region", help_text="建议所属人大（提出、编号、交办）的区划代码")
    session_name = serializers.CharField(source="session.name", read_only=True, default=None, allow_null=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None, allow_null=True)
    days_left = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    title_highlight = serializers.SerializerMethodField(
        help_text="With ?q=: the title, HTML-escaped, the words found in <mark>; else empty."
    )
    snippet = serializers.SerializerMethodField(
        help_text="With ?q=: about 60 characters of the content around the first word found, HTML-escaped, "
        "the words in <mark>; else empty."
    )

    class Meta:
        model = Suggestion
        fields = [
            "id", "code", "session", "session_name", "year", "number", "kind", "kind_display",
            "state", "state_display", "title", "category", "category_name", "lead_deputy",
            "lead_deputy_name", "township", "township_name", "region", "lead_unit", "lead_unit_name",
            "round", "deadline", "days_left", "is_overdue", "is_key", "supervisor",
            "reply_class", "rating", "submitted_at", "assigned_at", "replied_at", "closed_at",
            "title_highlight", "snippet",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_left(self, suggestion):
        return suggestion.days_left()

    def get_title_highlight(self, suggestion) -> str:
        terms = request_terms(self.context)
        return str(highlight(suggestion.title, terms)) if terms else ""

    def get_snippet(self, suggestion) -> str:
        terms = request_terms(self.context)
        return str(snippet(suggestion.content, terms)) if terms else ""


def _rows(part, *fields):
    """A serializer method returning `[{name: value}]` for one part of the handling record
    (selectors.suggestion_parts); a value is an attribute path or a function of the item."""

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get(self, suggestion):
        return [
            {name: (value(item) if callable(value) else _attr(item, value)) for name, value in fields}
            for item in self.context["parts"][part]
        ]

    return get


def _attr(item, path):
    for name in path.split("."):
        item = getattr(item, name, None)
        if item is None:
            return None
    return item() if callable(item) else item


@extend_schema_serializer(component_name="SuggestionDetail")
class SuggestionDetailSerializer(SuggestionListSerializer):
    """One suggestion with what the user may see of its handling, and the steps they may take."""

    cosigners = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(SuggestionListSerializer.Meta):
        fields = SuggestionListSerializer.Meta.fields + [
            "content", "reference_reason", "merged_into", "max_deadline", "cosigners",
            "attachments", "assignments", "replies", "contacts", "extensions", "progress",
            "timeline", "actions",
        ]

    get_cosigners = _rows(
        "cosigners", ("deputy", "deputy_id"), ("name", "deputy.name"),
        ("confirmed", lambda c: c.confirmed_at is not None), ("status", lambda c: str(c.status_display)),
    )
    get_attachments = _rows(
        "attachments", ("name", "name"),
        ("url", lambda a: reverse("suggestions:attachment", args=[a.suggestion_id, a.pk])),
    )
    get_assignments = _rows(
        "assignments", ("unit", "unit_id"), ("unit_name", "unit.name"), ("role", "role"),
        ("input", "visible_input"), ("input_at", "input_at"),
    )
    get_replies = _rows(
        "replies", ("round", "round"), ("unit_name", "unit.name"), ("result_class", "result_class"),
        ("result_class_display", "get_result_class_display"), ("text", "text"),
        ("contact_person", "contact_person"), ("contact_phone", "contact_phone"),
        ("replied_at", "replied_at"), ("deadline", "deadline"), ("in_time", "in_time"),
        ("is_public", "is_public"),
        ("attachment_url", lambda r: reverse("suggestions:reply_file", args=[r.suggestion_id, r.round])),
        ("rating", "evaluation.rating"), ("evaluation_comment", "evaluation.comment"),
    )
    get_contacts = _rows("contacts", ("contacted_on", "contacted_on"), ("method", "method"), ("note", "note"))
    get_extensions = _rows(
        "extensions", ("until", "until"), ("reason", "reason"), ("status", "status"),
        ("previous_deadline", "previous_deadline"), ("decision_note", "decision_note"),
    )
    get_progress = _rows("progress", ("month", "month"), ("text", "text"), ("reported_at", "reported_at"))
    get_timeline = _rows(
        "timeline", ("step", "step"), ("step_display", "get_step_display"), ("at", "at"),
        ("actor", lambda e: e.actor.display_name if e.actor else None),
        ("from_state", "from_state"), ("to_state", "to_state"), ("note", "visible_note"),
        ("from_congress", lambda e: e.from_congress.name if e.from_congress_id else None),
        ("to_congress", lambda e: e.to_congress.name if e.to_congress_id else None),
    )

    def get_actions(self, suggestion) -> list[str]:
        return self.context["actions"]


def detail_response(suggestion, request, status_code=status.HTTP_200_OK):
    suggestion = Suggestion.objects.for_list().get(pk=suggestion.pk)
    context = {
        "request": request,
        "parts": suggestion_parts(suggestion, request.user),
        "actions": [name for name, a in ACTIONS.items() if services.can_take(suggestion, a.step, request.user)],
    }
    return Response(SuggestionDetailSerializer(suggestion, context=context).data, status=status_code)


class SuggestionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """代表建议. Deputies see theirs, units what is assigned to them, staff everything submitted
    (their township's, when limited to one). Each step of the loop is a POST action."""

    serializer_class = SuggestionListSerializer
    filterset_class = SuggestionFilter
    parser_classes = form_parsers(DraftForm)  # for `create`; each step names its own

    def get_permissions(self):
        if self.action == "create":
            return [propose_suggestions.drf()]
        if self.action == "figures":
            return [view_suggestion_figures.drf()]
        step_action = ACTIONS.get((self.action or "").replace("_", "-"))
        if step_action is not None:
            return [services.STEP_PERMISSIONS[step_action.step].drf()]
        return [view_suggestions.drf()]

    def get_queryset(self):
        # The congress with its region in one query: each row's `region`.
        congresses = Prefetch("congress", Congress.objects.select_related("region"))
        return Suggestion.objects.visible_to(self.request.user).for_list().prefetch_related(congresses)

    @extend_schema(responses=SuggestionDetailSerializer)
    def retrieve(self, request, pk=None):
        return detail_response(self.get_object(), request)

    @extend_schema(request=form_schema(DraftForm, "SuggestionDraft"), responses=SuggestionDetailSerializer)
    def create(self, request):
        """A deputy's new draft (multipart for attachments)."""
        form = DraftForm(data=request.data, files=request.FILES, user=request.user)
        suggestion = services.create_draft(by=request.user, **validated(form))
        return detail_response(suggestion, request, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[],
        responses=inline_serializer("SuggestionFigures", fields={
            "totals": serializers.DictField(), "by_state": serializers.ListField(),
            "by_unit": serializers.ListField(), "by_category": serializers.ListField(),
            "by_township": serializers.ListField(), "overdue": serializers.ListField(),
        }),
    )
    @action(detail=False, methods=["get"])
    def figures(self, request):
        """办结率、满意率、办成率、按时答复率 and counts for ?year= or ?session=, optional ?township=."""
        form = FiguresForm(request.query_params, user=request.user)
        validated(form)
        result = suggestion_figures(user=request.user, **form.scope())
        return Response({
            "totals": result.totals,
            "by_state": [{**row, "name": str(row["name"])} for row in result.by_state],
            "by_unit": result.by_unit,
            "by_category": result.by_category,
            "by_township": result.by_township,
            "overdue": [
                {"id": s.pk, "code": s.code, "title": s.title, "deadline": s.deadline,
                 "lead_unit_name": s.lead_unit.name if s.lead_unit_id else None,
                 "overdue_days": s.overdue_days}
                for s in result.overdue
            ],
        })


def _step_endpoint(name, step_action):
    def endpoint(self, request, pk=None):
        suggestion = self.get_object()
        form = step_action.form(data=request.data, files=request.FILES, suggestion=suggestion, user=request.user)
        step_action.service(suggestion, by=request.user, **validated(form))
        return detail_response(suggestion, request)

    endpoint.__name__ = name.replace("-", "_")
    endpoint.__doc__ = str(step_action.title)
    endpoint = action(
        detail=True, methods=["post"], url_path=name, url_name=name,
        parser_classes=form_parsers(step_action.form),
    )(endpoint)
    # After @action, which would otherwise drop the schema's annotation.
    return extend_schema(
        request=form_schema(step_action.form, f"Suggestion{endpoint.__name__.title().replace('_', '')}"),
        responses=SuggestionDetailSerializer, summary=str(step_action.title),
    )(endpoint)


for _name, _step_action in ACTIONS.items():
    setattr(SuggestionViewSet, _name.replace("-", "_"), _step_endpoint(_name, _step_action))
