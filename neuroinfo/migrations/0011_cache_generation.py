# The content generation row (pagecache) and the database cache's table, the shared
# cache production uses when CACHE_URL is not set (settings).

from django.conf import settings
from django.core.management import call_command
from django.db import migrations, models

DEFAULT_TABLE = "neuroinfo_cache"


def cache_tables():
    tables = {DEFAULT_TABLE}
    for config in settings.CACHES.values():
        if config["BACKEND"].endswith("db.DatabaseCache"):
            tables.add(config["LOCATION"])
    return sorted(tables)


def create_cache_tables(apps, schema_editor):
    """createcachetable, which leaves a table that exists alone."""
    call_command(
        "createcachetable",
        *cache_tables(),
        database=schema_editor.connection.alias,
        verbosity=0,
    )


def drop_cache_table(apps, schema_editor):
    connection = schema_editor.connection
    if DEFAULT_TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(DEFAULT_TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ('neuroinfo', '0010_reading_score'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32)),
                ('changed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.RunPython(create_cache_tables, drop_cache_table),
    ]
