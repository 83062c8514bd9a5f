"""Server-rendered sign-up, sign-in, sign-out, password reset and profile, on the accounts services."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts import forms, services
from accounts.models import User
from gamefactory.api.throttles import AuthThrottle
from gamefactory.errors import ApplicationError


def _apply_error(form, exc: ApplicationError) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _throttled(request) -> bool:
    return not AuthThrottle().allow_request(request, None)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, "Too many attempts from your address. Wait a minute and try again.")
        else:
            try:
                user = services.user_register(**form.cleaned_data)
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
                messages.success(request, f"Welcome, {user.name}! Your account is ready.")
                return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _throttled(request):
            form = self.get_form()
            form.is_bound and form.errors  # noqa: B018 - render the form with the values typed
            form.add_error(None, "Too many sign-in attempts from your address. Wait a minute and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = forms.ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, "Too many requests from your address. Wait a minute and try again.")
        else:
            services.password_reset_request(email=form.cleaned_data["email"])
            return render(request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, token):
    try:
        services.password_reset_user(token=token)
    except ApplicationError as exc:
        return render(request, "accounts/password_reset_confirm.html", {"invalid": exc.message}, status=400)
    form = forms.SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(token=token, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "Your password is changed. Sign in with the new one.")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = forms.ProfileForm.for_user(user)
    avatar_form = forms.AvatarForm()
    if request.method == "POST":
        if "avatar" in request.FILES:
            avatar_form = forms.AvatarForm(request.POST, request.FILES)
            if avatar_form.is_valid():
                try:
                    services.user_set_avatar(user=user, data=avatar_form.cleaned_data["avatar"].read())
                except ApplicationError as exc:
                    _apply_error(avatar_form, exc)
                else:
                    messages.success(request, "Avatar updated.")
                    return redirect(reverse("accounts:profile"))
        else:
            form = forms.ProfileForm.for_user(user, request.POST)
            if form.is_valid():
                try:
                    services.user_update_profile(user=user, **form.cleaned_data)
                except ApplicationError as exc:
                    user.refresh_from_db()
                    _apply_error(form, exc)
                else:
                    messages.success(request, "Profile saved.")
                    return redirect(reverse("accounts:profile"))
    return render(request, "accounts/profile.html", {"form": form, "avatar_form": avatar_form})


@require_GET
def public_profile(request, username: str):
    """What everyone sees of a person: name, avatar, bio, their games; a suspended account is gone."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None or not (user.is_active or (request.user.is_authenticated and request.user.is_staff)):
        raise Http404("No such user.")
    return render(request, "accounts/public_profile.html", {"person": user})
