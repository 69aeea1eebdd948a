"""django-helpdesk (Django + DRF): a minimal host project of our own (settings configured in
code, sqlite in the scratch folder, teams mode off so pinax-teams is not needed) whose root
URLconf is the app's own `helpdesk.urls` at "", as its README installs it (under a prefix the
host chooses, which the app's source cannot know)."""

from __future__ import annotations

import importlib
import os
import sys
import types

import pywalk  # type: ignore[import-not-found]  # beside this file; run in the app's venv

run = os.environ["ORACLE_RUN_DIR"]
settings = importlib.import_module("django.conf").settings
settings.configure(
    DEBUG=False,
    SECRET_KEY="oracle-not-secret",
    ALLOWED_HOSTS=["*"],
    SITE_ID=1,
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.sites",
        "django.contrib.humanize",
        "rest_framework",
        "helpdesk",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{run}/db.sqlite3"}},
    ROOT_URLCONF="oracle_urls",
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth"]},
        }
    ],
    HELPDESK_TEAMS_MODE_ENABLED=False,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
importlib.import_module("django").setup()
urls = importlib.import_module("django.urls")
root = types.ModuleType("oracle_urls")
root.urlpatterns = [urls.path("", urls.include("helpdesk.urls"))]  # type: ignore[attr-defined]
sys.modules["oracle_urls"] = root
pywalk.write(pywalk.django_routes(), ["helpdesk.urls mounted at / in a host URLconf"])
