"""The numbering series of the police reports of the Investigation module (`case_report`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("administration", "0005_paper_forms_moved")]

    operations = [
        migrations.AlterField(
            model_name="unitcounter",
            name="series",
            field=models.CharField(
                choices=[
                    ("complaint", "complaint"),
                    ("document", "generated document"),
                    ("case_file", "case file"),
                    ("case_report", "police report of a case file"),
                ],
                max_length=16,
                verbose_name="series",
            ),
        ),
    ]
