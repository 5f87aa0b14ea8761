"""Seeds the five demonstration-building criteria; the city office tunes them afterwards."""

from decimal import Decimal

from django.db import migrations

POLICY = "政策条件（“满天星”示范楼宇：运营机构为独立法人、软件主导、载体面积 1 万平方米以上）。"
ASSUMED = "系统预置假设，待市专班确定。"
CRITERIA = [
    (
        "independent_operator",
        None,
        {"codes": ["11", "12", "13", "51", "52", "53", "91", "93"]},
        POLICY + "计为法人的信用代码类别（前两位）为系统预置，见口径说明。",
    ),
    (
        "software_focus",
        Decimal("50"),
        {"edition": "2017", "codes": ["64", "65"]},
        POLICY + "“软件主导”按软件和信息服务企业（GB/T 4754-2017 大类 64、65）入驻面积占在驻面积的比例衡量；"
        "比例门槛 50% 为" + ASSUMED,
    ),
    ("carrier_area", Decimal("10000"), {}, POLICY),
    ("software_firms", Decimal("20"), {}, ASSUMED),
    ("occupancy_rate", Decimal("70"), {}, "入驻率＝在驻面积 ÷ 载体面积。" + ASSUMED),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("honours", "DemonstrationCriterion")
    for position, (kind, threshold, parameter, note) in enumerate(CRITERIA, start=1):
        # Only missing kinds: a criterion the city office has already tuned keeps its tuning.
        Criterion.objects.get_or_create(
            kind=kind,
            defaults={"threshold": threshold, "parameter": parameter, "note": note, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
