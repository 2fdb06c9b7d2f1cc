from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("请先下载导入模板，按模板填写后上传（.xlsx）。上传后先预览，确认后才导入。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
