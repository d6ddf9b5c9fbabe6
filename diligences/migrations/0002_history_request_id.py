"""Row history carries the request id and keeps the whole change reason (reta.history), for the
register's history (complaints_historical* tables), as administration/0003 and complaints/0007
did for theirs.

The rows written before this migration get "" (not the id of the `migrate` run: the column is added
with a plain "" default first, then given its callable default).
"""

import audit.context
from django.db import migrations, models

MODELS = ("historicaldiligence", "historicaldiligenceanswer", "historicalgenerateddocument")


def _request_id(default):  # noqa: ANN001, ANN202
    return models.CharField(
        blank=True, db_index=True, default=default, editable=False, max_length=32, verbose_name="request id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("diligences", "0001_initial"),
    ]

    operations = [
        operation
        for model in MODELS
        for operation in (
            migrations.AddField(model_name=model, name="request_id", field=_request_id(""), preserve_default=False),
            migrations.AlterField(
                model_name=model, name="request_id", field=_request_id(audit.context.current_request_id)
            ),
            migrations.AlterField(model_name=model, name="history_change_reason", field=models.TextField(null=True)),
        )
    ]
