# The statistics read model (StatComplaint, StatVictim, StatSuspect) moved to its own app, stats
# (RETA issue 8). Here it only leaves the state of complaints: the tables stay as they are, and
# stats 0001 (which depends on this migration) takes them over in its state and renames them
# complaints_stat* -> stats_stat*. complaints does not depend on stats, not even in migrations.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_history_request_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StatSuspect"),
                migrations.DeleteModel(name="StatVictim"),
                migrations.DeleteModel(name="StatComplaint"),
            ],
            database_operations=[],
        ),
    ]
