"""Message kinds: every notice the portal sends is a named kind with typed parameters.

Each domain app declares its kinds in `<app>/notices.py` (loaded when the portal starts):

    DUTY_REMINDER = kind(
        "duty_reminder", _("值班提醒"),
        params=[Param("date", _("值班日期"), DATE), Param("station", _("站点"))],
        title=_("值班提醒：明天（%(date)s）到%(station)s值班"),
        push="DUTY_REMINDER_SMS",
    )

and sends one with `notify(user, key=..., kind=DUTY_REMINDER, params={"date": day, ...})`.
In-app and e-mail show `title` and `body` filled with the parameters in the portal's own
wording; SMS and WeChat send the same parameters through the provider's approved template
(`MessageTemplate`: template id and parameter names per kind and provider).

`push` says whether a kind also goes by SMS and WeChat (a bool, or the name of a boolean
setting such as DUTY_REMINDER_SMS); `urgent` kinds are sent by SMS at night as well."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import force_str

TEXT = "text"
INT = "int"
DATE = "date"
DATETIME = "datetime"
TYPES = {TEXT, INT, DATE, DATETIME}


class KindError(ValueError):
    """A kind or its parameters used wrongly: a programming error, raised at once."""


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    type: str = TEXT
    # An example value for `send_test_message` and the admin's preview.
    example: object = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise KindError(f"unknown parameter type {self.type!r} for {self.name}")

    def check(self, value, kind_code):
        expected = {
            TEXT: (str,),
            INT: (int,),
            DATE: (datetime.date,),
            DATETIME: (datetime.datetime,),
        }[self.type]
        lazy = self.type == TEXT and hasattr(value, "_proxy____cast")  # a gettext_lazy string
        if isinstance(value, bool) or not (isinstance(value, expected) or lazy):
            raise KindError(
                f"{kind_code}: parameter {self.name} must be {self.type}, not {type(value).__name__}"
            )
        if self.type == DATE and isinstance(value, datetime.datetime):
            raise KindError(f"{kind_code}: parameter {self.name} is a date, not a datetime")

    def render(self, value):
        """The value as a person reads it: dates as 2026年11月24日."""
        if value is None:
            return ""
        if self.type == DATE:
            return chinese_date(value)
        if self.type == DATETIME:
            moment = timezone.localtime(value)
            return f"{chinese_date(moment.date())} {moment:%H:%M}"
        return force_str(value)

    def to_json(self, value):
        if self.type == DATE:
            return value.isoformat()
        if self.type == DATETIME:
            return value.isoformat()
        return force_str(value) if self.type == TEXT else value

    def from_json(self, value):
        if self.type == DATE:
            return datetime.date.fromisoformat(value)
        if self.type == DATETIME:
            return datetime.datetime.fromisoformat(value)
        return value

    def sample(self):
        if self.example is not None:
            return self.example
        today = timezone.localdate()
        return {
            TEXT: force_str(self.label),
            INT: 3,
            DATE: today,
            DATETIME: timezone.now().replace(second=0, microsecond=0),
        }[self.type]


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class MessageKind:
    code: str
    label: str
    params: tuple = ()
    title: str = ""
    body: str = ""
    push: object = False
    urgent: bool = False
    param_names: tuple = field(default=(), repr=False)

    def param(self, name):
        for param in self.params:
            if param.name == name:
                return param
        raise KindError(f"{self.code} has no parameter {name!r}")

    def pushes(self):
        """Whether this kind also goes by SMS and WeChat (today's setting when it names one)."""
        if isinstance(self.push, str):
            return bool(getattr(settings, self.push))
        return bool(self.push)

    def check(self, params):
        """Every parameter given, of its type; nothing else."""
        given, expected = set(params), set(self.param_names)
        if given != expected:
            missing, extra = sorted(expected - given), sorted(given - expected)
            raise KindError(f"{self.code}: missing parameters {missing}, unknown parameters {extra}")
        for param in self.params:
            param.check(params[param.name], self.code)

    def to_json(self, params):
        return {p.name: p.to_json(params[p.name]) for p in self.params}

    def from_json(self, stored):
        return {p.name: p.from_json(stored[p.name]) for p in self.params if p.name in stored}

    def text_values(self, params):
        """Each parameter as text, as shown to people (and sent to providers)."""
        return {p.name: p.render(params.get(p.name)) for p in self.params}

    def render(self, params):
        """(title, body) in the portal's wording, for in-app and e-mail."""
        values = self.text_values(params)
        title = force_str(self.title) % values
        body = force_str(self.body) % values if self.body else ""
        return title, body

    def samples(self):
        return {p.name: p.sample() for p in self.params}


_kinds = {}


def kind(code, label, *, params=(), title, body="", push=False, urgent=False):
    """Declare (register) a message kind; returns it for the caller to send with."""
    if code in _kinds:
        raise KindError(f"message kind {code!r} is declared twice")
    params = tuple(params)
    names = tuple(p.name for p in params)
    if len(set(names)) != len(names):
        raise KindError(f"{code}: a parameter name is repeated")
    declared = MessageKind(
        code=code, label=label, params=params, title=title, body=body, push=push, urgent=urgent,
        param_names=names,
    )
    _kinds[code] = declared
    return declared


def get(code_or_kind):
    if isinstance(code_or_kind, MessageKind):
        return code_or_kind
    try:
        return _kinds[code_or_kind]
    except KeyError:
        raise KindError(f"unknown message kind {code_or_kind!r}") from None


def all_kinds():
    return sorted(_kinds.values(), key=lambda k: k.code)


def choices():
    return [(k.code, f"{force_str(k.label)}（{k.code}）") for k in all_kinds()]


def label(code):
    found = _kinds.get(code)
    return force_str(found.label) if found else code
