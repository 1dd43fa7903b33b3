"""Reading level by a formula made for each language: the stored grades become scores
(a Flesch-Kincaid grade in English, a Kandel-Moles reading ease in French), and every
existing item is scored again, since French was scored as an English grade before."""

from django.conf import settings
from django.db import migrations

from neuroinfo.readability import prose, reading_score

MODELS = ["guidepage", "riskfactor", "treatment", "responsecategory", "glossaryterm"]


def score_again(apps, schema_editor):
    codes = [code for code, _name in settings.LANGUAGES]
    for name in MODELS:
        model = apps.get_model("neuroinfo", name)
        for item in model.objects.all():
            scores = {
                code: reading_score(
                    prose(
                        getattr(item, f"summary_{code}", "") or "",
                        *(getattr(item, f"key_points_{code}", "") or "").splitlines(),
                        getattr(item, f"body_html_{code}") or "",
                    ),
                    code,
                )
                for code in codes
            }
            model.objects.filter(pk=item.pk).update(reading_score=scores)


class Migration(migrations.Migration):
    dependencies = [("neuroinfo", "0009_old_slugs")]

    operations = [
        *(
            migrations.RenameField(name, "reading_grade", "reading_score")
            for name in MODELS
        ),
        migrations.RunPython(score_again, migrations.RunPython.noop),
    ]
