"""The indicator catalogue of Đề án 01 (shared/domain.md), loaded as data.

Codes are stable identifiers. All nineteen are computed from records: the registry's
eleven by htxnu.plans.indicators, the training and cadre ones by the activities app
(htxnu.activities.indicators.COMPUTATIONS). An indicator with no computation in the code
(one an administrator adds later) is taken from reports. Running it again changes
nothing; reversing it removes only indicators no target or baseline uses.
"""

from django.db import migrations

# code, vi, en, unit vi, unit en, kind, source, additive, baseline of, definition vi, definition en
CATALOGUE = [
    ("coops_consolidated",
     "HTX được củng cố, nâng cao chất lượng hoạt động", "Cooperatives consolidated",
     "HTX", "cooperatives", "count", "records", False, "coops_supported",
     "Số HTX do phụ nữ tham gia quản lý hoặc tạo nhiều việc làm cho lao động nữ, được các cấp Hội hỗ trợ "
     "thành lập, đã được hỗ trợ củng cố trong kỳ.",
     "Women-managed or women-jobs cooperatives (HTX), founded with Union support, that received "
     "consolidation support in the period."),
    ("groups_consolidated",
     "THT được củng cố, nâng cao chất lượng hoạt động", "Cooperative groups consolidated",
     "THT", "groups", "count", "records", False, "groups_supported",
     "Số THT do phụ nữ tham gia quản lý hoặc tạo nhiều việc làm cho lao động nữ, được các cấp Hội hỗ trợ "
     "thành lập, đã được hỗ trợ củng cố trong kỳ.",
     "The same for cooperative groups (THT)."),
    ("coops_groups_consolidated_pct",
     "Tỷ lệ HTX, THT do Hội hỗ trợ thành lập được củng cố", "Share of Union-supported HTX and THT consolidated",
     "%", "%", "percent", "records", False, None,
     "Số HTX, THT được củng cố trong kỳ trên tổng số HTX, THT do các cấp Hội hỗ trợ thành lập (do phụ nữ "
     "tham gia quản lý hoặc tạo nhiều việc làm cho lao động nữ).",
     "Cooperatives and groups consolidated in the period over all Union-supported, women-managed or "
     "women-jobs cooperatives and groups."),
    ("jobs_coop_women",
     "Việc làm ổn định cho thành viên, lao động nữ trong HTX", "Stable jobs for women in those cooperatives",
     "người", "persons", "count", "records", True, None,
     "Số thành viên, lao động nữ có việc làm ổn định trong các HTX được củng cố.",
     "Stable jobs of female members and workers in the consolidated cooperatives."),
    ("jobs_group_women",
     "Việc làm ổn định cho lao động nữ trong THT", "Stable jobs for women in those groups",
     "người", "persons", "count", "records", True, None,
     "Số lao động nữ có việc làm ổn định trong các THT được củng cố.",
     "Stable jobs of female workers in the consolidated groups."),
    ("jobs_total_women",
     "Việc làm ổn định cho thành viên, lao động nữ trong HTX, THT", "Stable jobs for women in HTX and THT",
     "người", "persons", "count", "records", True, None,
     "Tổng hai chỉ tiêu trên (một số kế hoạch chỉ nêu tổng).",
     "The two above combined (some plans state only the sum)."),
    ("coops_new",
     "HTX thành lập mới", "New cooperatives founded",
     "HTX", "cooperatives", "count", "records", True, None,
     "Số HTX thành lập mới do các cấp Hội tư vấn, hỗ trợ.",
     "New cooperatives founded with Union advice or support."),
    ("groups_new",
     "THT thành lập mới", "New cooperative groups founded",
     "THT", "groups", "count", "records", True, None,
     "Số THT thành lập mới do các cấp Hội tư vấn, hỗ trợ.",
     "New cooperative groups founded with Union advice or support."),
    ("jobs_new_women",
     "Việc làm mới cho lao động nữ", "New jobs for women",
     "người", "persons", "count", "records", True, None,
     "Số việc làm mới cho lao động nữ trong các HTX, THT thành lập mới.",
     "New jobs for women in newly founded cooperatives and groups."),
    ("training_classes",
     "Lớp tập huấn, bồi dưỡng", "Training classes",
     "lớp", "classes", "count", "records", True, None,
     "Số lớp tập huấn, bồi dưỡng được tổ chức.",
     "Training classes organised."),
    ("managers_trained_pct",
     "Tỷ lệ nữ quản lý HTX được bồi dưỡng năng lực quản trị", "Women managers trained in governance",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ nữ quản lý HTX được bồi dưỡng, nâng cao năng lực quản trị, điều hành.",
     "Share of women managers of cooperatives trained in governance."),
    ("managers_certified_pct",
     "Tỷ lệ nữ quản lý HTX được cấp chứng chỉ", "Women managers certified",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ nữ quản lý được đào tạo, cấp chứng chỉ (giám đốc, kế toán, kiểm soát viên).",
     "Share of women managers certified (director, accountant, controller skills)."),
    ("managers_digital_trained_pct",
     "Tỷ lệ nữ quản lý HTX được đào tạo ứng dụng công nghệ thông tin",
     "Women managers trained in IT for management and business",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ nữ quản lý HTX được đào tạo ứng dụng công nghệ thông tin trong quản lý, kinh doanh.",
     "Share of women managers trained in IT for management and business."),
    ("members_vocational_pct",
     "Tỷ lệ thành viên, lao động nữ được đào tạo nghề, chuyển giao công nghệ",
     "Members and female workers given vocational training or technology transfer",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ thành viên, lao động nữ của HTX được tư vấn, đào tạo nghề, chuyển giao khoa học - kỹ thuật.",
     "Share of members and female workers given vocational training or technology transfer."),
    ("members_ecommerce_pct",
     "Tỷ lệ thành viên được đào tạo thương mại điện tử", "Members trained in e-commerce",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ thành viên HTX được đào tạo ứng dụng thương mại điện tử.",
     "Share of cooperative members trained in e-commerce."),
    ("cadres_trained_pct",
     "Tỷ lệ cán bộ Hội làm công tác kinh tế tập thể được tập huấn",
     "Union cadres working on the collective economy trained",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ cán bộ Hội làm công tác hỗ trợ phát triển kinh tế tập thể, HTX được bồi dưỡng, tập huấn.",
     "Share of Union cadres working on collective-economy and cooperative support who were trained."),
    ("cadres_skilled_pct",
     "Tỷ lệ cán bộ Hội được nâng cao kỹ năng tuyên truyền, vận động",
     "Union cadres with improved communication skills",
     "%", "%", "percent", "records", False, None,
     "Tỷ lệ cán bộ Hội các cấp được nâng cao kỹ năng tuyên truyền, vận động, hỗ trợ hội viên, phụ nữ tham gia "
     "phát triển kinh tế tập thể, HTX.",
     "Share of Union cadres at all levels with improved skills to inform, mobilise and support women in the "
     "collective economy."),
    ("coops_supported",
     "HTX do Hội hỗ trợ thành lập có nữ quản lý", "Union-supported cooperatives with women managers",
     "HTX", "cooperatives", "count", "records", False, None,
     "Số HTX được các cấp Hội hỗ trợ thành lập, có phụ nữ tham gia quản lý (số liệu nền).",
     "Cooperatives founded with Union support and with women managers (the baseline)."),
    ("groups_supported",
     "THT do Hội hỗ trợ thành lập có nữ quản lý", "Union-supported groups with women managers",
     "THT", "groups", "count", "records", False, None,
     "Số THT được các cấp Hội hỗ trợ thành lập, có phụ nữ tham gia quản lý (số liệu nền).",
     "Cooperative groups founded with Union support and with women managers (the baseline)."),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    for position, row in enumerate(CATALOGUE, start=1):
        code, label_vi, label_en, unit_vi, unit_en, kind, source, additive, _base, def_vi, def_en = row
        Indicator.objects.update_or_create(code=code, defaults=dict(
            label_vi=label_vi, label_en=label_en, unit_vi=unit_vi, unit_en=unit_en, kind=kind, source=source,
            additive=additive, definition_vi=def_vi, definition_en=def_en, position=position * 10,
        ))
    codes = {i.code: i for i in Indicator.objects.all()}
    for row in CATALOGUE:
        if row[8]:
            codes[row[0]].baseline_indicator = codes[row[8]]
            codes[row[0]].save(update_fields=["baseline_indicator"])


def unload(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    Baseline = apps.get_model("plans", "Baseline")
    in_use = Baseline.objects.values("indicator_id")
    Indicator.objects.filter(code__in=[r[0] for r in CATALOGUE], targets__isnull=True).exclude(pk__in=in_use).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
