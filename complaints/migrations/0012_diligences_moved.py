"""The preliminary investigation register now belongs to the `diligences` app (diligences/0001
adds its models to its state with the same tables): remove them from the state of `complaints`.
No table is dropped; the append-only triggers of 0004 stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_drop_old_counters"),
        ("diligences", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalDiligenceAnswer"),
                migrations.DeleteModel(name="HistoricalDiligence"),
                migrations.DeleteModel(name="HistoricalGeneratedDocument"),
                migrations.DeleteModel(name="DiligenceAnswer"),
                migrations.DeleteModel(name="Diligence"),
                migrations.DeleteModel(name="GeneratedDocument"),
            ],
            database_operations=[],
        ),
    ]
