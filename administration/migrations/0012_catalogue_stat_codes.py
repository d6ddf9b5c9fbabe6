"""Statistics codes of the catalogue entries (CatalogueEntry.stat_code): the code the statistics
read model stores for an entry, given once and never changed. The starting entries get the
positional codes the read model gave them (their position in their catalogue's part of
administration.catalogue_seed.SEED + 1: for the kinds of place, exactly the former
stats.codes.PLACE_KIND_CODES), so every row already written keeps its meaning; an entry an
administrator added before this migration gets the next codes, in the order it was created."""

from django.db import migrations, models

from administration.catalogue_seed import SEED


def give_stat_codes(apps, schema_editor):
    entry = apps.get_model("administration", "CatalogueEntry")
    seed: dict[str, list[str]] = {}
    for catalogue, code, *_rest in SEED:
        seed.setdefault(catalogue, []).append(code)
    next_code: dict[str, int] = {}
    for row in entry.objects.order_by("pk"):
        codes = seed.get(row.catalogue, [])
        if row.code in codes:
            row.stat_code = codes.index(row.code) + 1
        else:
            row.stat_code = next_code.get(row.catalogue, len(codes) + 1)
            next_code[row.catalogue] = row.stat_code + 1
        row.save(update_fields=["stat_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0011_merge_0008_unit_tree_over_time_0010_extra_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueentry",
            name="stat_code",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="statistics code"),
        ),
        migrations.RunPython(give_stat_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="catalogueentry",
            name="stat_code",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="statistics code"),
        ),
        migrations.AddConstraint(
            model_name="catalogueentry",
            constraint=models.UniqueConstraint(fields=("catalogue", "stat_code"), name="catalogue_entry_unique_stat_code"),
        ),
    ]
