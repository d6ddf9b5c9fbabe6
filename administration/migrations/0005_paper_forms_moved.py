"""The paper forms now belong to the `paperforms` app (paperforms/0001 adds them to its state with
the same tables): remove them from the state of `administration`. No table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("administration", "0004_unit_counter"),
        ("paperforms", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalPaperFormSerial"),
                migrations.DeleteModel(name="PaperFormSerial"),
                migrations.DeleteModel(name="HistoricalPaperFormBatch"),
                migrations.DeleteModel(name="PaperFormBatch"),
            ],
            database_operations=[],
        ),
    ]
