import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_default_schemes")]

    operations = [
        migrations.AddField(
            model_name="run",
            name="scheme_name",
            field=models.CharField(
                default="",
                help_text="取自所用方案；同一方案名称、同一评价期只有一次现行的发布。",
                max_length=100,
                verbose_name="方案名称",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="run",
            name="seed",
            field=models.PositiveBigIntegerField(
                default=0,
                help_text="稳健性抽样的随机种子；未指定时取自方案与输入的哈希。",
                verbose_name="随机种子",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="run",
            name="method",
            field=models.JSONField(
                default=dict,
                help_text="评分与稳健性规则中的常数（目标封顶、小数位、权重扰动、备选标准化方法等）。",
                verbose_name="计算规则参数",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="run",
            name="superseded_by",
            field=models.OneToOneField(
                blank=True,
                help_text="同一方案、同一评价期后来发布的运行。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supersedes",
                to="evaluation.run",
                verbose_name="被替代于",
            ),
        ),
        migrations.AlterField(
            model_name="run",
            name="sha256",
            field=models.CharField(
                db_index=True,
                help_text="方案、输入、抽样次数、随机种子和计算规则参数合并后的哈希。",
                max_length=64,
                verbose_name="运行 SHA-256",
            ),
        ),
    ]
