"""The staff admin's index: one section per concern, names spelt right."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_index(staff):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    r = client.get("/admin/")
    assert r.status_code == 200
    return r.content.decode()


def test_there_is_one_accounts_section_with_users_and_email_addresses(admin_index):
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', admin_index)
    assert sections.count("Accounts") == 1, sections
    accounts = admin_index.split('title="Models in the Accounts application"')[1].split("</table>")[0]
    assert "Users" in accounts and "Email addresses" in accounts


def test_model_names_are_spelt_right(admin_index):
    assert "Daily metrics" in admin_index and "metricss" not in admin_index
