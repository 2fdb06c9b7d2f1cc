import factory
from django.utils import timezone

from opinions.models import Opinion, State, TimelineEntry, Step
from tests.factories import CategoryFactory, StationFactory


class OpinionFactory(factory.django.DjangoModelFactory):
    """A public opinion as submitted (state 已提交, due in three days)."""

    class Meta:
        model = Opinion
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    category = factory.SubFactory(CategoryFactory)
    content = factory.Sequence(lambda n: f"第{n}条意见：村口道路坑洼，雨天积水严重，希望尽快修补。")
    name = "王大妈"
    phone = "13912345678"
    consent_at = factory.LazyFunction(timezone.now)
    state = State.SUBMITTED
    due_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=3))

    @factory.post_generation
    def submitted_entry(obj, create, extracted, **kwargs):
        if create:
            TimelineEntry.objects.create(
                opinion=obj, step=Step.SUBMIT, to_state=State.SUBMITTED, actor_name="系统",
                public_text="意见已提交，等待代表接单",
            )
