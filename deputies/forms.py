from django import forms

from deputies.models import Deputy
from divisions.scope import within


class DeputyForm(forms.ModelForm):
    class Meta:
        model = Deputy
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "level",
            "term",
            "constituency",
            "township",
            "group",
            "occupation",
            "sector",
            "phone",
            "email",
            "status",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = self.fields["township"].queryset.filter(within(user, ""))

