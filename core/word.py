"""公文-grade Word documents (GB/T 9704-2012 《党政机关公文格式》), shared by the annual report
(reports.annual) and the deputy dossier (points.dossier).

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a grid of 22 lines of 28
  characters (the type area 156 × 225 mm);
- title 2号 (22 pt) 小标宋, centred; body 3号 (16 pt) 仿宋; headings 一、 in 黑体, （一） in 楷体,
  both 3号; every Chinese font is set in the East Asian slot (`w:eastAsia`) too, or Word
  falls back to its default CJK font;
- page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right, even pages left;
- 文号 under the title when the congress has a 发文字号 prefix; 落款 (the issuing body) and
  成文日期 (2026年11月24日) at the end; the document's author is the congress;
- tables: header row repeated on each page, numbers right-aligned and never wrapped, a 合计 row.
A reader without these fonts sees Word's substitutes; the layout (grid, margins) stays."""

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT = "宋体"
TABLE_FONT = "仿宋_GB2312"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: tables may be smaller than the body

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TYPE_AREA_WIDTH = Mm(210 - 28 - 26)  # 156 mm
TYPE_AREA_HEIGHT = Mm(297 - 37 - 35)  # 225 mm
LINE_PITCH_TWIPS = round(TYPE_AREA_HEIGHT.twips / LINES_PER_PAGE)  # ≈ 580 (28.95 pt)
# w:charSpace: how much each grid character is wider than the font size, in 1/4096 pt.
CHAR_SPACE = round((TYPE_AREA_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 4096)


def chinese_date(day: date):
    """成文日期 in full Arabic numerals, as GB/T 9704-2012 asks: 2026年11月24日."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(run_or_style, name, size=None, bold=None):
    """Font name in every slot (ascii, hAnsi, eastAsia), size and weight of a run or style."""
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


def _exact_lines(paragraph_format):
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


class Gongwen:
    """A document being written: `heading`, `paragraph`, `table`, `picture`, then `save`."""

    def __init__(self, *, title, issuer, author=None, day, doc_number=""):
        self.issuer, self.day = issuer, day
        self.document = Document()
        self._page_setup()
        self._styles()
        self._page_numbers()
        properties = self.document.core_properties
        properties.author = author or issuer
        properties.last_modified_by = author or issuer
        properties.title = title
        properties.comments = ""
        if doc_number:
            number = self.document.add_paragraph(style="Normal")
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_run_font(number.add_run(doc_number), BODY_FONT, BODY_SIZE)
            self.blank_line()
        heading = self.document.add_paragraph(style="Title")
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(heading.add_run(title), TITLE_FONT, TITLE_SIZE, bold=False)
        self.blank_line()

    # --- set-up --------------------------------------------------------------------------

    def _page_setup(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.header_distance = Mm(15)
        section.footer_distance = Mm(28)  # the page number sits 7 mm below the type area
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _styles(self):
        styles = self.document.styles
        normal = styles["Normal"]
        set_run_font(normal, BODY_FONT, BODY_SIZE)
        _exact_lines(normal.paragraph_format)
        normal.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)  # 首行缩进两字
        normal.paragraph_format.widow_control = False
        title = styles["Title"]
        set_run_font(title, TITLE_FONT, TITLE_SIZE, bold=False)
        title.paragraph_format.first_line_indent = Pt(0)
        title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        title.paragraph_format.line_spacing = Pt(LINE_PITCH_TWIPS / 20 * 1.2)
        # The Title style draws a rule under the title: a 公文 has none.
        borders = title.element.get_or_add_pPr().find(qn("w:pBdr"))
        if borders is not None:
            borders.getparent().remove(borders)
        for level, font in HEADING_FONTS.items():
            style = styles[f"Heading {level}"]
            set_run_font(style, font, BODY_SIZE, bold=False)
            style.font.italic = False
            _exact_lines(style.paragraph_format)
            style.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
            style.paragraph_format.keep_with_next = True

    def _page_numbers(self):
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    @staticmethod
    def _page_number(footer, alignment):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        paragraph.paragraph_format.first_line_indent = Pt(0)
        # One character in from the edge (GB/T 9704-2012 7.5).
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE

        def text(value):
            set_run_font(paragraph.add_run(value), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

        def field_char(kind):
            run = paragraph.add_run()
            set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
            return run

        text("— ")
        field_char("begin")
        instruction = paragraph.add_run()
        set_run_font(instruction, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = " PAGE "
        instruction._r.append(code)
        field_char("separate")
        text("1")
        field_char("end")
        text(" —")

    # --- content -------------------------------------------------------------------------

    def blank_line(self):
        paragraph = self.document.add_paragraph(style="Normal")
        paragraph.paragraph_format.first_line_indent = Pt(0)
        return paragraph

    def heading(self, text, level=1):
        paragraph = self.document.add_paragraph(style=f"Heading {level}")
        set_run_font(paragraph.add_run(text), HEADING_FONTS[level], BODY_SIZE, bold=False)
        return paragraph

    def paragraph(self, text, *, align=None, indent=True):
        paragraph = self.document.add_paragraph(style="Normal")
        if align is not None:
            paragraph.alignment = align
        if not indent:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        set_run_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
        return paragraph

    def caption(self, text):
        paragraph = self.paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        paragraph.paragraph_format.keep_with_next = True
        for run in paragraph.runs:
            set_run_font(run, HEADING_FONTS[1], TABLE_SIZE)
        return paragraph

    def picture(self, png, width=None):
        self.document.add_picture(io.BytesIO(png), width=width or Mm(150))
        paragraph = self.document.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def table(self, headers, rows, *, total=None):
        """A bordered table; `total` is the 合计 row (appended, bold). Numbers are right-aligned
        and do not wrap. An empty table is one line, （无）."""
        if not rows:
            return self.paragraph("（无）")
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header_row = table.rows[0]
        _repeat_header(header_row)
        for cell, text in zip(header_row.cells, headers):
            self._cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, no_wrap=False)
        for values in [*rows, *([total] if total is not None else [])]:
            is_total = total is not None and values is total
            for cell, value in zip(table.add_row().cells, values):
                numeric = _is_number(value)
                self._cell(
                    cell, "" if value is None else _number_text(value), bold=is_total,
                    align=WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT, no_wrap=numeric,
                )
        return table

    @staticmethod
    def _cell(cell, text, *, bold, align, no_wrap):
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        set_run_font(paragraph.add_run(str(text)), TABLE_FONT, TABLE_SIZE, bold=bold)
        if no_wrap:
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_pr.append(OxmlElement("w:noWrap"))

    def signature(self):
        """落款 and 成文日期, right-aligned, four characters in from the right edge."""
        self.blank_line()
        for text in (self.issuer, chinese_date(self.day)):
            paragraph = self.paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)

    def save(self):
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = str(value).strip()
    return bool(text) and text.replace(",", "").replace(".", "", 1).rstrip("%").lstrip("-").isdigit()


def _number_text(value):
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def document_number(prefix, serial):
    """文号 from a congress's 发文字号 prefix (连人常〔2026〕) and a serial: 连人常〔2026〕12号;
    empty without a prefix."""
    prefix = (prefix or "").strip()
    return f"{prefix}{serial}号" if prefix and serial else ""
