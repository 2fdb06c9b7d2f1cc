"""The steps a person takes on a suggestion, by URL name: the input form and the service of each.
The pages (/suggestions/<id>/<name>/) and the API (/api/v1/suggestions/<id>/<name>/) are both
built from this one table."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from suggestions import forms, services
from suggestions.models import Step


@dataclass(frozen=True)
class StepAction:
    step: Step
    form: type
    service: object
    done: str
    danger: bool = False

    @property
    def title(self):
        return self.step.label

    @property
    def needs_input(self):
        return bool(self.form.base_fields)


ACTIONS = {
    "edit": StepAction(Step.EDIT, forms.DraftForm, services.update_draft, _("草稿已保存。")),
    "invite": StepAction(Step.INVITE, forms.InviteForm, services.invite_cosigners, _("已发出附议邀请。")),
    "cosign": StepAction(Step.COSIGN, forms.EmptyForm, services.confirm_cosign, _("您已确认附议。")),
    "decline": StepAction(Step.DECLINE, forms.EmptyForm, services.decline_cosign, _("您已谢绝附议。"), danger=True),
    "submit": StepAction(Step.SUBMIT, forms.EmptyForm, services.submit_suggestion, _("建议已提交，等待人大工作人员审查。")),
    "withdraw": StepAction(Step.WITHDRAW, forms.WithdrawForm, services.withdraw_suggestion, _("建议已撤回。"), danger=True),
    "accept": StepAction(Step.ACCEPT, forms.NoteForm, services.accept_suggestion, _("已立案。")),
    "convert": StepAction(Step.CONVERT, forms.ConvertForm, services.convert_to_reference, _("已转为参阅件。"), danger=True),
    "transfer": StepAction(Step.TRANSFER, forms.TransferForm, services.transfer_suggestion, _("已转办。")),
    "merge": StepAction(Step.MERGE, forms.MergeForm, services.merge_suggestion, _("已并案。"), danger=True),
    "assign": StepAction(Step.ASSIGN, forms.AssignForm, services.assign_suggestion, _("已交办。")),
    "input": StepAction(Step.INPUT, forms.InputForm, services.send_co_unit_input, _("协办意见已报送主办单位。")),
    "contact": StepAction(Step.CONTACT, forms.ContactForm, services.record_contact, _("办前沟通已记录。")),
    "request-extension": StepAction(
        Step.REQUEST_EXTENSION, forms.ExtensionForm, services.request_extension, _("延期申请已提交。")
    ),
    "grant-extension": StepAction(
        Step.GRANT_EXTENSION, forms.NoteForm, services.grant_extension, _("已同意延期。")
    ),
    "refuse-extension": StepAction(
        Step.REFUSE_EXTENSION, forms.RefuseForm, services.refuse_extension, _("已不同意延期。"), danger=True
    ),
    "supervise": StepAction(Step.SUPERVISE, forms.SuperviseForm, services.mark_key_supervision, _("已列为重点督办。")),
    "progress": StepAction(Step.PROGRESS, forms.ProgressForm, services.post_progress, _("办理进展已报送。")),
    "reply": StepAction(Step.REPLY, forms.ReplyForm, services.reply_suggestion, _("答复已提交，等待代表测评。")),
    "evaluate": StepAction(Step.EVALUATE, forms.EvaluateForm, services.evaluate_suggestion, _("测评已提交，谢谢。")),
    "close": StepAction(Step.CLOSE, forms.NoteForm, services.close_suggestion, _("已办结。")),
    "hearing": StepAction(Step.HEARING, forms.HearingForm, services.record_hearing, _("听证评议已记录，建议已办结。")),
    "publish": StepAction(Step.PUBLISH, forms.EmptyForm, services.publish_reply, _("答复已在公开页面发布。")),
    "unpublish": StepAction(Step.UNPUBLISH, forms.EmptyForm, services.unpublish_reply, _("答复已取消公开。"), danger=True),
}

NAME_OF_STEP = {action.step: name for name, action in ACTIONS.items()}


def actions_for(suggestion, user):
    """(name, action) pairs the user may take now, in the table's order."""
    allowed = set(services.available_steps(suggestion, user))
    return [(name, action) for name, action in ACTIONS.items() if action.step in allowed]
