from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social sign-in only for providers configured from the environment."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if not user.display_name:
            user.display_name = (data.get("name") or "")[:100]
        if user.email:
            user.email = user.email.lower()
            # The provider vouched for this address.
            user.is_verified = True
        return user
