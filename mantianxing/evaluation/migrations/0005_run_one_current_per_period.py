from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_run_hash_and_supersession")]

    operations = [
        migrations.AddConstraint(
            model_name="run",
            constraint=models.UniqueConstraint(
                condition=models.Q(("published_at__isnull", False), ("superseded_by__isnull", True)),
                fields=("scheme_name", "period"),
                name="evaluation_run_one_current_per_period",
                violation_error_message="同一方案、同一评价期只能有一次现行的发布。",
            ),
        ),
        migrations.AddConstraint(
            model_name="run",
            constraint=models.CheckConstraint(
                condition=models.Q(("superseded_by__isnull", True), ("published_at__isnull", False), _connector="OR"),
                name="evaluation_run_superseded_was_published",
                violation_error_message="只有已发布的运行才能被替代。",
            ),
        ),
    ]
