"""The synonyms the imports have always accepted, and the ones officers were seen to write.

From here on they are data: the city office adds, changes and removes them in the back office.
"""

from django.db import migrations

SYNONYMS = {
    "claimed_origin": {
        "established": ["新设", "新注册", "新成立", "新设企业", "新注册企业"],
        "introduced": ["引进", "新引入", "招商引进", "市外引进", "外地引进", "外省引进", "引进企业"],
        "existing": ["既有", "原有", "存量企业"],
        "relocated": ["市内迁入", "迁移", "迁入", "区县迁入"],
    },
    "building_status": {
        "listed": ["列入台账", "已列入台账"],
        "acquired": ["已收储"],
        "refitting": ["改造中", "在改造"],
        "in_use": ["已投用", "投入使用", "已投入使用"],
    },
    "role_category": {
        "ai_plus": ["AI应用", "人工智能应用", "AI+"],
        "software": ["研发", "软件研发", "软件开发工程师"],
        "tech_service": ["技术支持", "运维"],
    },
    "focus_domain": {
        "ai_agents": ["智能体", "AI Agent"],
        "ic_design": ["集成电路", "IC设计", "芯片设计"],
        "information_security": ["网络安全", "网络与信息安全"],
        "artificial_intelligence": ["AI"],
        "iot_embedded": ["物联网", "嵌入式软件", "物联网及嵌入式软件"],
        "it_services": ["IT服务", "信息技术服务业"],
        "digital_content": ["数字内容"],
        "internet_platforms": ["互联网平台"],
        "satellite_beidou": ["北斗", "卫星互联网", "北斗应用软件"],
        "openharmony": ["鸿蒙", "OpenHarmony", "开源鸿蒙软件"],
        "film_animation": ["动漫", "影视"],
        "live_streaming": ["直播"],
        "games": ["游戏产业", "网络游戏"],
        "digital_twin": ["数字孪生体"],
    },
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("vocabularies", "Synonym")
    for vocabulary, meanings in SYNONYMS.items():
        for meaning, terms in meanings.items():
            for term in terms:
                Synonym.objects.get_or_create(
                    vocabulary=vocabulary,
                    term="".join(term.split()),
                    defaults={"meaning": meaning},
                )


class Migration(migrations.Migration):
    dependencies = [("vocabularies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
