import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from divisions.models import Region
from reports import services
from reports.models import GeneratedReport


class Command(BaseCommand):
    help = "生成年度工作报告（Word 报告和 Excel 附表），并保存在“年度报告”中以便再次下载。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2026")
        parser.add_argument("--region", help="区域的区划代码或名称（县、区、乡镇）；不填为整个平台")
        parser.add_argument("--township", help="乡镇名称或编号（同 --region）")
        parser.add_argument("--output", help="另存 Word 报告到此路径（Excel 附表存为同名 .xlsx）")

    def handle(self, *args, year, region=None, township=None, output=None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("年度应为 2000 到 2100 之间的四位数字。")
        scope = None
        if region or township:
            name = region or township
            lookup = Q(code=name) | Q(name=name)
            if township and township.isdigit():
                lookup |= Q(pk=int(township), level=Region.Level.TOWNSHIP)
            found = list(Region.objects.filter(lookup)[:2])
            if not found:
                raise CommandError(f"没有名为“{name}”的区域。")
            if len(found) > 1:
                raise CommandError(f"有多个名为“{name}”的区域，请用区划代码。")
            scope = found[0]
        report = GeneratedReport.objects.create(year=year, region=scope, step="排队等待生成")
        report = services.build_annual_report(report.pk)
        if report.status != GeneratedReport.Status.DONE:
            raise CommandError(report.error or "报告生成失败。")
        if output:
            target = Path(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            with report.docx.open("rb") as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            with report.xlsx.open("rb") as source, open(target.with_suffix(".xlsx"), "wb") as sink:
                shutil.copyfileobj(source, sink)
            self.stdout.write(f"已生成：{target} 和 {target.with_suffix('.xlsx')}")
        else:
            self.stdout.write(f"已生成：{report.docx.name}、{report.xlsx.name}（报告编号 {report.pk}）")
