"""年度工作报告: the Word report and the Excel workbook of a year, from `reports.figures`.

The Word report follows the county work summaries (headings 一、二、三…, the year's figures
written as sentences, tables per township and per unit, charts with Chinese labels). The
workbook holds every table of the report. The .docx is laid out as a 公文 (GB/T 9704-2012, see
core.word) issued by the congress of the report's region; the .xlsx keeps numbers as numbers.
Charts are drawn with matplotlib in the CJK font the PyPI package `mplfonts` ships (Noto Sans CJK
SC, SIL OFL), registered by its file, so no system font is needed; without it, an installed CJK
font is used, and without any the build fails with a clear message rather than printing boxes."""

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from openpyxl import Workbook

from core import word
from core.excel import Column, write_table_sheet
from divisions.models import Congress
from divisions.scope import county_path, scope_for, scope_region_name
from points.ledger import standings
from reports.figures import YearFigures
from reports.models import Award

# Fonts that carry Chinese, best first; any other font whose name says CJK/Han/Hei/Song will do.
CJK_FONT_NAMES = [
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC",
    "Source Han Sans SC", "Source Han Sans CN", "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN",
]
CJK_HINTS = ("cjk", "wenquanyi", "wqy", "han sans", "han serif", "hei", "song", "ming", "kai")


class ReportError(Exception):
    """The report cannot be built; the message is shown to the admin."""


BUNDLED_FONT = "fonts/NotoSansCJKsc-Regular.otf"  # inside the mplfonts package


def bundled_cjk_font():
    """(family, path) of the CJK font shipped by the `mplfonts` package, registered with
    matplotlib by its file (no font cache, no system font); None when the package is missing.
    The package is located, not imported: its __init__ would change matplotlib's settings."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / BUNDLED_FONT
    if not path.exists():
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name(), str(path)


def find_cjk_font():
    """(family name, file path) of a font with Chinese glyphs: the bundled one, else an
    installed one; ReportError when there is none."""
    bundled = bundled_cjk_font()
    if bundled is not None:
        return bundled
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    by_name = {}
    for font in fonts:
        by_name.setdefault(font.name, font.fname)
    for name in CJK_FONT_NAMES:
        if name in by_name:
            return name, by_name[name]
    for font in fonts:
        label = f"{font.name} {font.fname}".lower()
        if any(hint in label for hint in CJK_HINTS):
            return font.name, font.fname
    raise ReportError(
        "服务器上没有可显示中文的字体，图表中的中文会显示为方框，报告未生成。"
        "请管理员按 requirements 安装依赖（其中的 mplfonts 自带中文字体），"
        "或安装中文字体（例如 Debian/Ubuntu：apt-get install fonts-wqy-microhei）后重试。"
    )


def pct(value):
    return "—" if value is None else f"{value:.2f}%"


def pct_words(value):
    return "暂无数据" if value is None else f"{value:.2f}%"


# --- Charts ---------------------------------------------------------------------------------------


@dataclass
class Chart:
    title: str
    png: bytes


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


def draw_charts(figures: YearFigures):
    """The report's charts as PNG images with Chinese titles, axes and legends."""
    family, path = find_cjk_font()
    plt = _figure()
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)  # a system font found above: by its file as well
    style = {"font.family": [family], "axes.unicode_minus": False, "font.size": 10}
    months = [f"{m}月" for m in range(1, 13)]
    charts = []

    def save(fig, title):
        buffer = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buffer, format="png", dpi=150)
        plt.close(fig)
        charts.append(Chart(title, buffer.getvalue()))

    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(7, 3.4))
        xs = range(12)
        ax.bar([x - 0.2 for x in xs], figures.visits_by_month, width=0.4, label="进站履职（次）", color="#9b1c1c")
        ax.bar([x + 0.2 for x in xs], figures.receptions_by_month, width=0.4, label="接待群众（人次）", color="#0b5cad")
        ax.set_xticks(list(xs), months)
        ax.set_title(f"{figures.year}年各月进站履职和接待群众情况")
        ax.legend()
        save(fig, "各月进站履职和接待群众")

        fig, ax = plt.subplots(figsize=(7, 3.4))
        collected = [m["collected"] for m in figures.opinions_by_month]
        closed = [m["closed"] for m in figures.opinions_by_month]
        ax.plot(months, collected, marker="o", label="收集意见（件）", color="#9b1c1c")
        ax.plot(months, closed, marker="s", label="已办结（件）", color="#1a7f37")
        ax.set_title(f"{figures.year}年各月群众意见收集和办结情况")
        ax.legend()
        save(fig, "各月群众意见收集和办结")

        totals = figures.suggestions.totals
        names = ["办结率", "满意率", "办成率", "按时答复率"]
        values = [totals[k] or 0 for k in ("completion_rate", "satisfaction_rate", "success_rate", "in_time_rate")]
        fig, ax = plt.subplots(figsize=(7, 3))
        bars = ax.barh(names, values, color=["#9b1c1c", "#0b5cad", "#1a7f37", "#8a5a00"])
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.bar_label(bars, labels=[f"{v:.2f}%" for v in values], padding=3)
        ax.set_title(f"{figures.year}年代表建议办理“四率”")
        save(fig, "代表建议办理四率")

        rows = figures.townships
        if len(rows) > 1:
            fig, ax = plt.subplots(figsize=(7, max(3, 0.35 * len(rows) + 1)))
            ax.barh([r["name"] for r in rows], [r["visits"] for r in rows], color="#9b1c1c", label="进站履职（次）")
            ax.invert_yaxis()
            ax.set_title(f"{figures.year}年各{figures.child_level}进站履职情况")
            ax.legend()
            save(fig, "各乡镇进站履职")

        kinds = [k for k in figures.stations_by_kind if k["count"]]
        if kinds:
            fig, ax = plt.subplots(figsize=(5, 3.4))
            ax.pie([k["count"] for k in kinds], labels=[f"{k['name']} {k['count']}" for k in kinds],
                   colors=["#9b1c1c", "#0b5cad", "#1a7f37", "#8a5a00"][: len(kinds)], startangle=90)
            ax.set_title("家室站点构成")
            save(fig, "家室站点构成")
    return charts


# --- Tables (shared by Word and Excel) ---------------------------------------------------------------


@dataclass
class ReportTable:
    """One table of the report, for Word and Excel alike: numbers are numbers (rates in percent,
    None when there is nothing to rate); `total` is the 合计 row or None."""

    title: str
    columns: list
    rows: list
    total: list | None = None


def _sum(rows, index):
    return sum(row[index] or 0 for row in rows)


def _rate(numerator, denominator):
    return round(numerator * 100 / denominator, 2) if denominator else None


INT, PCT, DEC = "0", "0.00%", "0.00"


def tables(figures: YearFigures, table, awards):
    """Every table of the report (ReportTable), with totals where a column adds up. The totals
    are the sums of the rows, and the text quotes the same figures (tested)."""
    scope = scope_for(figures.region)
    top = table.filter(township_ids=None if scope.is_whole else scope.region_ids)[:20]
    level = str(figures.child_level or "乡镇（街道）")
    s = figures.suggestions.totals
    townships = [
        [r["name"], r["deputies"], r["stations"], r["visits"], r["receptions"], r["activities"],
         r["opinions_collected"], r["opinions_closed"], r["suggestions"],
         # A rate over fewer assigned suggestions than the congress's minimum is not compared.
         *(["样本不足", "样本不足"] if r["too_few"] and r["suggestions"] else
           [r["completion_rate"], r["satisfaction_rate"]])]
        for r in figures.townships
    ]
    # Activities held above township level (县级活动) get a row of their own, so that the 活动场次
    # column adds up to the year's activities.
    above = ([[str(figures.above_label), None, None, None, None, figures.activities_above, None, None, None, None,
               None]] if figures.activities_above else [])
    units = [
        [r["name"], r["assigned"], r["replied"], r["completion_rate"], r["satisfaction_rate"],
         r["success_rate"], r["in_time_rate"]]
        for r in figures.suggestions.ranked_units
    ]
    # Units with fewer assigned suggestions than the minimum come last, under 样本不足, without rates.
    too_few = [[r["name"], r["assigned"], r["replied"], None, None, None, None]
               for r in figures.suggestions.units_too_few]
    too_few_heading = ([[f"样本不足（交办少于{figures.suggestions.min_items}件，不参与比较）", None, None, None, None,
                         None, None]] if too_few else [])
    months = [
        [f"{m}月", figures.visits_by_month[m - 1], figures.receptions_by_month[m - 1],
         figures.opinions_by_month[m - 1]["collected"], figures.opinions_by_month[m - 1]["closed"]]
        for m in range(1, 13)
    ]
    kinds = [[k["name"], k["count"]] for k in figures.stations_by_kind]
    activities = [[k["name"], k["count"]] for k in figures.activities_by_kind]
    # The year's elected projects and those of earlier votes carried out in the year (续建).
    projects = [
        [p["title"], p["scope"], f"{p['vote_year']}年", p["unit"] or "—",
         p["budget"] if p["budget"] is not None else None, p["percent"],
         "已完成" if p["completed"] else ("续建" if p["vote_year"] < figures.year else "实施中")]
        for p in [*figures.projects, *figures.projects_carried]
    ]
    return [
        ReportTable(f"各{level}情况", [
            Column("name", level, 16), Column("deputies", "在任代表", 10, number_format=INT),
            Column("stations", "家室站点", 10, number_format=INT), Column("visits", "进站履职", 10, number_format=INT),
            Column("receptions", "接待群众", 10, number_format=INT),
            Column("activities", "活动场次", 10, number_format=INT),
            Column("opinions_collected", "收集意见", 10, number_format=INT),
            Column("opinions_closed", "办结意见", 10, number_format=INT),
            Column("suggestions", "代表建议", 10, number_format=INT),
            Column("completion_rate", "办结率", 10, number_format=PCT),
            Column("satisfaction_rate", "满意率", 10, number_format=PCT),
        ], townships + above, ["合计", *(_sum(townships + above, i) for i in range(1, 9)),
                               s["completion_rate"], s["satisfaction_rate"]] if townships else None),
        ReportTable("各承办单位办理情况", [
            Column("name", "主办单位", 20), Column("assigned", "交办件数", 10, number_format=INT),
            Column("replied", "已答复", 10, number_format=INT),
            Column("completion_rate", "办结率", 10, number_format=PCT),
            Column("satisfaction_rate", "满意率", 10, number_format=PCT),
            Column("success_rate", "办成率", 10, number_format=PCT),
            Column("in_time_rate", "按时答复率", 12, number_format=PCT),
        ], units + too_few_heading + too_few,
            ["合计", _sum(units + too_few, 1), _sum(units + too_few, 2), s["completion_rate"], s["satisfaction_rate"],
             s["success_rate"], s["in_time_rate"]] if units or too_few else None),
        ReportTable("各月履职和意见情况", [
            Column("month", "月份", 8), Column("visits", "进站履职", 10, number_format=INT),
            Column("receptions", "接待群众", 10, number_format=INT),
            Column("collected", "收集意见", 10, number_format=INT), Column("closed", "办结意见", 10, number_format=INT),
        ], months, ["合计", *(_sum(months, i) for i in range(1, 5))]),
        ReportTable("家室站点构成", [Column("kind", "类型", 16), Column("count", "数量", 10, number_format=INT)],
                    kinds, ["合计", _sum(kinds, 1)] if kinds else None),
        ReportTable("代表活动", [Column("kind", "活动类型", 16), Column("count", "场次", 10, number_format=INT)],
                    activities, ["合计", _sum(activities, 1)] if activities else None),
        ReportTable("民生实事项目", [
            Column("title", "项目", 30), Column("scope", "层级", 10), Column("vote_year", "票决年度", 10),
            Column("unit", "责任单位", 20), Column("budget", "投资（万元）", 12, number_format=DEC),
            Column("percent", "完成进度", 10, number_format=PCT), Column("completed", "状态", 10),
        ], projects, ["合计", "", "", "", _sum(projects, 4), None,
                      f"已完成{figures.projects_completed}个"] if projects else None),
        ReportTable("履职积分前二十名", [
            Column("rank", "名次", 8, number_format=INT), Column("name", "姓名", 12), Column("township", "乡镇", 14),
            Column("total", "积分", 10, number_format=INT),
        ], [[r.rank, r.name, r.township, r.total] for r in top]),
        ReportTable("“四最”评选结果", [Column("kind", "奖项", 16), Column("subject", "获奖者", 40), Column("citation", "评选理由", 40)],
                    [[a.get_kind_display(), str(a.subject), a.citation] for a in awards]),
    ]


def word_cells(report_table, values):
    """A row as the Word table shows it: percentages as 85.50%, nothing as —."""
    cells = []
    for column, value in zip(report_table.columns, values):
        if isinstance(value, str):
            cells.append(value)
        elif column.number_format == PCT:
            cells.append(pct(value) if value is not None else "—")
        elif column.number_format == DEC and value is not None:
            cells.append(f"{value:.2f}")
        else:
            cells.append("—" if value is None else value)
    return cells


# --- Sentences ---------------------------------------------------------------------------------------


def overview_sentences(f: YearFigures, table):
    scope = scope_region_name(f.region)
    kinds = "、".join(f"{k['name']}{k['count']}个" for k in f.stations_by_kind if k["count"]) or "暂无站点"
    levels = "、".join(f"{k['name']}人大代表{k['count']}名" for k in f.deputies_by_level if k["count"])
    s = f.suggestions.totals
    return {
        "overview": (
            f"{f.year}年，{scope}共有在任各级人大代表{f.deputies}名（{levels or '暂无'}），"
            f"建成家室站点{f.stations}个，其中{kinds}。"
        ),
        "visits": (
            f"全年代表进站履职{f.visits}次，接待群众{f.receptions}人次；"
            f"组织代表活动{f.activities}场，代表报名{f.signups}人次，实际出席{f.attended}人次。"
        ),
        "opinions": (
            f"全年通过站点二维码和接待登记收集群众意见{f.opinions_collected}件，已办结{f.opinions_closed}件，"
            f"办结率{pct_words(f.opinion_close_rate)}。"
        ),
        "suggestions": (
            f"全年代表提出建议{s['total']}件，已交办{s['assigned']}件，已答复{s['replied']}件，"
            f"办结率{pct_words(s['completion_rate'])}；已测评{s['evaluated']}件，满意和基本满意{s['satisfied']}件，"
            f"满意率{pct_words(s['satisfaction_rate'])}；A类答复（已解决或采纳）{s['class_a']}件，"
            f"办成率{pct_words(s['success_rate'])}；按时答复率{pct_words(s['in_time_rate'])}；"
            f"列为重点督办{s['key']}件，逾期未答复{s['overdue']}件。"
        ),
        "projects": (
            f"全年票决产生民生实事项目{len(f.projects)}个，计划投资{f.project_budget}万元，"
            f"已完成{f.projects_completed}个。"
            if f.projects else "本年度暂无票决产生的民生实事项目。"
        ) + (
            # Last year's projects are carried out this year: the year's work includes them.
            f"实施往年票决的民生实事项目{len(f.projects_carried)}个，年内完成{f.projects_carried_completed}个，"
            f"其余{len(f.projects_carried) - f.projects_carried_completed}个继续实施。"
            if f.projects_carried else ""
        ),
        "points": (
            f"全年{len(table.rows)}名在任代表的履职积分人均{table.average}分，最高{table.rows[0].total}分。"
            if table.rows else "本年度暂无代表履职积分。"
        ),
    }


# --- Word and Excel ---------------------------------------------------------------------------------


# The report's outline: heading, its sentence, its charts, its tables (in the style of the county
# work summaries: 一、二、三 …).
SECTIONS = [
    ("一、总体情况", "overview", ["家室站点构成"], []),
    ("二、坚持进站履职，密切联系群众", "visits", ["各月进站履职和接待群众", "各乡镇进站履职"], []),
    ("三、畅通民意渠道，办好群众意见", "opinions", ["各月群众意见收集和办结"], ["各月履职和意见情况"]),
    ("四、提高建议质量，强化办理督办", "suggestions", ["代表建议办理四率"], ["各承办单位办理情况"]),
    ("五、推进民生实事项目代表票决", "projects", [], ["民生实事项目"]),
    ("六、强化履职管理，开展“四最”评选", "points", [], ["履职积分前二十名"]),
]


def issuing_congress(region):
    """The congress whose standing body issues a report of `region` (the deployment's default
    county congress for the whole deployment)."""
    return Congress.objects.of(region) if region is not None else Congress.objects.default()


def write_docx(f: YearFigures, charts, report_tables, sentences, awards, *, serial=None, day=None):
    """The report as a 公文 (core.word): the congress's standing body is its author and signs it;
    文号 when the congress has a 发文字号 prefix and the report a serial number."""
    from docx.shared import Mm

    scope = scope_region_name(f.region)
    congress = issuing_congress(f.region)
    issuer = str(congress.standing_body_name)
    doc = word.Gongwen(
        title=f"{scope}人大常委会{f.year}年度代表工作报告", issuer=issuer, author=str(congress.name),
        day=day or timezone.localdate(), doc_number=word.document_number(congress.document_number_prefix, serial),
    )
    chart_by_title = {c.title: c for c in charts}
    table_by_title = {t.title: t for t in report_tables}

    def chart(name):
        if name in chart_by_title:
            doc.picture(chart_by_title[name].png, width=Mm(150))

    def table(name):
        found = table_by_title[name]
        doc.caption(name)
        doc.table(
            [c.header for c in found.columns], [word_cells(found, row) for row in found.rows],
            total=word_cells(found, found.total) if found.total is not None else None,
        )

    for heading, sentence, charts_, tables_ in SECTIONS:
        doc.heading(heading, level=1)
        doc.paragraph(sentences[sentence])
        for name in charts_:
            chart(name)
        for name in tables_:
            table(name)
    if awards:
        doc.paragraph("本年度评选出" + "；".join(f"{a.get_kind_display()}：{a.subject}" for a in awards) + "。")
    else:
        doc.paragraph("本年度“四最”评选结果尚未登记。")
    rows_title = report_tables[0].title  # 各乡镇（街道）情况, or 各县（区）情况 for a city
    doc.heading(f"附表：{rows_title}", level=1)
    table(rows_title)
    doc.signature()
    return doc.save()


def write_xlsx(report_tables):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for found in report_tables:
        write_table_sheet(
            workbook, found.title.replace("“", "").replace("”", "")[:31], found.columns, found.rows, found.total
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(figures: YearFigures, progress=lambda percent, step: None, *, serial=None):
    """(docx bytes, xlsx bytes) for the figures, reporting progress as it goes; `serial` numbers
    the document (文号) when the congress has a 发文字号 prefix."""
    progress(30, "计算履职积分")
    table = standings(figures.year, under=county_path(figures.region))
    awards = list(
        Award.objects.filter(year=figures.year).select_related("deputy", "station", "suggestion", "unit").order_by("kind", "pk")
    )
    progress(45, "绘制图表")
    charts = draw_charts(figures)
    report_tables = tables(figures, table, awards)
    progress(75, "撰写 Word 报告")
    docx = write_docx(figures, charts, report_tables, overview_sentences(figures, table), awards, serial=serial)
    progress(90, "生成 Excel 附表")
    xlsx = write_xlsx(report_tables)
    return docx, xlsx
