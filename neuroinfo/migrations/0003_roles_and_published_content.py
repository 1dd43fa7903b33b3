"""Editorial roles, and existing content kept public.

Before the editorial workflow every item was public, so every existing row becomes
published rather than disappearing from the site on upgrade.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ["guidepage", "riskfactor", "treatment", "responsecategory", "glossaryterm"]
CHILDREN = ["question", "responsecriterion", "source"]

ROLES = {
    # Creates and changes content; what they change on a published page waits for review.
    "Editor": {
        "models": {m: ["add", "change", "view"] for m in CONTENT + CHILDREN},
        "custom": ["edit_source_language"],
    },
    # Publishes, unpublishes and marks content as medically reviewed.
    "Medical reviewer": {
        "models": {m: ["add", "change", "delete", "view"] for m in CONTENT + CHILDREN}
        | {"pendingchange": ["view", "delete"]},
        "custom": ["edit_source_language", "publish_content", "review_content"],
    },
    # Changes the French text only: the English fields are read-only for them.
    "Translator": {
        "models": {m: ["change", "view"] for m in CONTENT + CHILDREN},
        "custom": [],
    },
}


def create_roles(apps, schema_editor):
    app = apps.get_app_config("neuroinfo")
    app.models_module = True  # create_permissions needs it set in migrations
    create_permissions(app, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = [f"{action}_{model}" for model, actions in spec["models"].items()
                     for action in actions] + spec["custom"]  # fmt: skip
        perms = Permission.objects.filter(
            content_type__app_label="neuroinfo", codename__in=codenames
        )
        group.permissions.set(perms)


def publish_existing(apps, schema_editor):
    for model in CONTENT + ["question", "responsecriterion"]:
        apps.get_model("neuroinfo", model).objects.update(status="published")


class Migration(migrations.Migration):
    dependencies = [
        ("neuroinfo", "0002_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
