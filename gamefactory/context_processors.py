from django.conf import settings


def platform(request):
    """What every page needs: configured social sign-in providers, the site's name."""
    return {
        "SITE_NAME": "GameFactory",
        "SOCIAL_PROVIDERS": sorted(settings.SOCIALACCOUNT_PROVIDERS),
    }
