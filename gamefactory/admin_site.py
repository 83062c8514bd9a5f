"""The staff admin's site: one section per concern.

allauth's `account` app (sign-in email addresses) is also labelled "Accounts": its models are shown
in our Accounts section rather than in a second section of the same name.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

# app label -> the app label whose section shows its models
MERGED_SECTIONS = {"account": "accounts"}


class AdminSite(admin.AdminSite):
    site_header = "GameFactory staff"
    site_title = "GameFactory staff"
    index_title = "Administration"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        by_label = {app["app_label"]: app for app in apps}
        for source, target in MERGED_SECTIONS.items():
            if source in by_label and target in by_label:
                merged = by_label[target]["models"] + by_label[source]["models"]
                by_label[target]["models"] = sorted(merged, key=lambda m: m["name"])
                apps.remove(by_label[source])
        return apps


class AdminConfig(DjangoAdminConfig):
    default_site = "gamefactory.admin_site.AdminSite"
