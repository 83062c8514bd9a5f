from django import forms
from django.conf import settings

from moderation.models import ContentType, Reason


class ReportForm(forms.Form):
    content_type = forms.ChoiceField(choices=ContentType.choices, widget=forms.HiddenInput)
    content_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    reason = forms.ChoiceField(choices=[("", "Choose a reason"), *Reason.choices], label="What is wrong?")
    details = forms.CharField(
        required=False,
        label="Details (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": settings.MODERATION_REPORT_TEXT_MAX_CHARS}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why is this decision wrong?",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": settings.MODERATION_APPEAL_TEXT_MAX_CHARS}),
    )
