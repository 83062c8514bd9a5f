from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=50, help_text="3 to 50 letters, digits, dots, dashes or underscores."
    )
    email = forms.EmailField(max_length=255)
    display_name = forms.CharField(max_length=100, required=False)
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label="Username or email", max_length=255, widget=forms.TextInput(attrs={"autofocus": True})
    )


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(max_length=255)


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ProfileForm(forms.Form):
    # A plain form: uniqueness (case-insensitive) and the rules are the service's job.
    display_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(max_length=255)
    bio = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_user(cls, user: User, data=None):
        return cls(data, initial={"display_name": user.display_name, "email": user.email, "bio": user.bio})


class AvatarForm(forms.Form):
    avatar = forms.FileField()
