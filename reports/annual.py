"""年度工作报告: the Word report and the Excel workbook of a year, from `reports.figures`.

The Word report follows the county work summaries (headings 一、二、三…, the year's figures
written as sentences, tables per township and per unit, charts with Chinese labels). The
workbook holds every table of the report. Charts are drawn with matplotlib in a CJK font found
through matplotlib.font_manager; without one the build fails with a clear message rather than
printing boxes."""

import io
from dataclasses import dataclass


from openpyxl import Workbook

from core.excel import Column, write_sheet
from divisions.scope import county_path, scope_for, scope_region_name
from points.dossier import add_table, set_cjk_font
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


def find_cjk_font():
    """(family name, file path) of an installed font with Chinese glyphs, or ReportError."""
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
        "请管理员安装中文字体（例如 Debian/Ubuntu：apt-get install fonts-wqy-microhei）后重试。"
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

    font_manager.fontManager.addfont(path)
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


def tables(figures: YearFigures, table, awards):
    """Every table of the report: (title, columns, rows)."""
    scope = scope_for(figures.region)
    top = table.filter(township_ids=None if scope.is_whole else scope.region_ids)[:20]
    level = str(figures.child_level or "乡镇（街道）")
    return [
        (f"各{level}情况", [
            Column("name", level, 16), Column("deputies", "在任代表", 10), Column("stations", "家室站点", 10),
            Column("visits", "进站履职", 10), Column("receptions", "接待群众", 10), Column("activities", "活动场次", 10),
            Column("opinions_collected", "收集意见", 10), Column("opinions_closed", "办结意见", 10),
            Column("suggestions", "代表建议", 10), Column("completion_rate", "办结率", 10),
            Column("satisfaction_rate", "满意率", 10),
        ], [
            [r["name"], r["deputies"], r["stations"], r["visits"], r["receptions"], r["activities"],
             r["opinions_collected"], r["opinions_closed"], r["suggestions"],
             *(["样本不足", "样本不足"] if r["too_few"] and r["suggestions"] else
               [pct(r["completion_rate"]), pct(r["satisfaction_rate"])])]
            for r in figures.townships
        ]),
        ("各承办单位办理情况", [
            Column("name", "主办单位", 20), Column("assigned", "交办件数", 10), Column("replied", "已答复", 10),
            Column("completion_rate", "办结率", 10), Column("satisfaction_rate", "满意率", 10),
            Column("success_rate", "办成率", 10), Column("in_time_rate", "按时答复率", 12),
        ], [
            [r["name"], r["assigned"], r["replied"], pct(r["completion_rate"]), pct(r["satisfaction_rate"]),
             pct(r["success_rate"]), pct(r["in_time_rate"])]
            for r in figures.suggestions.ranked_units
        ] + ([[f"样本不足（交办少于{figures.suggestions.min_items}件，不参与比较）", "", "", "", "", "", ""]] + [
            [r["name"], r["assigned"], r["replied"], "—", "—", "—", "—"] for r in figures.suggestions.units_too_few
        ] if figures.suggestions.units_too_few else [])),
        ("各月履职和意见情况", [
            Column("month", "月份", 8), Column("visits", "进站履职", 10), Column("receptions", "接待群众", 10),
            Column("collected", "收集意见", 10), Column("closed", "办结意见", 10),
        ], [
            [f"{m}月", figures.visits_by_month[m - 1], figures.receptions_by_month[m - 1],
             figures.opinions_by_month[m - 1]["collected"], figures.opinions_by_month[m - 1]["closed"]]
            for m in range(1, 13)
        ]),
        ("家室站点构成", [Column("kind", "类型", 16), Column("count", "数量", 10)],
         [[k["name"], k["count"]] for k in figures.stations_by_kind]),
        ("代表活动", [Column("kind", "活动类型", 16), Column("count", "场次", 10)],
         [[k["name"], k["count"]] for k in figures.activities_by_kind]),
        ("民生实事项目", [
            Column("title", "项目", 30), Column("scope", "层级", 10), Column("unit", "责任单位", 20),
            Column("budget", "投资（万元）", 12), Column("percent", "完成进度", 10), Column("completed", "状态", 10),
        ], [
            [p["title"], p["scope"], p["unit"] or "—", p["budget"] if p["budget"] is not None else "—",
             f"{p['percent']}%", "已完成" if p["completed"] else "实施中"]
            for p in figures.projects
        ]),
        ("履职积分前二十名", [
            Column("rank", "名次", 8), Column("name", "姓名", 12), Column("township", "乡镇", 14), Column("total", "积分", 10),
        ], [[r.rank, r.name, r.township, r.total] for r in top]),
        ("“四最”评选结果", [Column("kind", "奖项", 16), Column("subject", "获奖者", 40), Column("citation", "评选理由", 40)],
         [[a.get_kind_display(), str(a.subject), a.citation] for a in awards]),
    ]


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


def write_docx(f: YearFigures, charts, report_tables, sentences, awards):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    scope = scope_region_name(f.region)
    document = Document()
    set_cjk_font(document)
    title = document.add_heading(f"{scope}人大常委会{f.year}年度代表工作报告", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    chart_by_title = {c.title: c for c in charts}
    table_by_title = {t[0]: t for t in report_tables}

    def chart(name):
        if name in chart_by_title:
            document.add_picture(io.BytesIO(chart_by_title[name].png), width=Cm(15))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(name):
        _title, columns, rows = table_by_title[name]
        caption = document.add_paragraph(name)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_table(document, [c.header for c in columns], rows)

    for heading, sentence, charts_, tables_ in SECTIONS:
        document.add_heading(heading, level=1)
        document.add_paragraph(sentences[sentence])
        for name in charts_:
            chart(name)
        for name in tables_:
            table(name)
    if awards:
        document.add_paragraph(
            "本年度评选出" + "；".join(f"{a.get_kind_display()}：{a.subject}" for a in awards) + "。"
        )
    else:
        document.add_paragraph("本年度“四最”评选结果尚未登记。")
    rows_title = report_tables[0][0]  # 各乡镇（街道）情况, or 各县（区）情况 for a city
    document.add_heading(f"附表：{rows_title}", level=1)
    table(rows_title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_xlsx(report_tables):
    workbook = Workbook(write_only=True)
    for title, columns, rows in report_tables:
        write_sheet(workbook, title.replace("“", "").replace("”", "")[:31], columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(figures: YearFigures, progress=lambda percent, step: None):
    """(docx bytes, xlsx bytes) for the figures, reporting progress as it goes."""
    progress(30, "计算履职积分")
    table = standings(figures.year, under=county_path(figures.region))
    awards = list(
        Award.objects.filter(year=figures.year).select_related("deputy", "station", "suggestion", "unit").order_by("kind", "pk")
    )
    progress(45, "绘制图表")
    charts = draw_charts(figures)
    report_tables = tables(figures, table, awards)
    progress(75, "撰写 Word 报告")
    docx = write_docx(figures, charts, report_tables, overview_sentences(figures, table), awards)
    progress(90, "生成 Excel 附表")
    xlsx = write_xlsx(report_tables)
    return docx, xlsx
