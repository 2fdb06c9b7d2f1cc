"""公文 layout (GB/T 9704-2012) of the Word documents, read back from the .docx XML."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core import word


def build(**overrides):
    fields = dict(title="连心县人大常委会2026年度代表工作报告", issuer="连心县人大常委会",
                  author="连心县人民代表大会", day=date(2026, 11, 24), doc_number="连人常〔2026〕12号")
    fields.update(overrides)
    doc = word.Gongwen(**fields)
    doc.heading("一、总体情况", level=1)
    doc.heading("（一）进站履职", level=2)
    doc.paragraph("全年代表进站履职120次。")
    doc.table(["乡镇", "进站履职"], [["城关镇", 70], ["青山镇", 50]], total=["合计", 120])
    doc.signature()
    return Document(BytesIO(doc.save()))


def east_asia(element):
    fonts = element.find(".//" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def assert_gongwen_layout(document, *, issuer, author):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    # 22 lines in the 225 mm type area; 28 characters of 3号 in its 156 mm width.
    assert round(Mm(225).twips / int(grid.get(qn("w:linePitch")))) == 22
    char_pitch = Pt(16).pt + int(grid.get(qn("w:charSpace"))) / 4096
    assert round(Mm(156).pt / char_pitch) == 28
    styles = document.styles
    assert styles["Normal"].font.size == Pt(16) and east_asia(styles["Normal"].element) == "仿宋_GB2312"
    assert east_asia(styles["Heading 1"].element) == "黑体" and east_asia(styles["Heading 2"].element) == "楷体_GB2312"
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.runs[0].font.size == Pt(22) and east_asia(title.runs[0]._r) == "方正小标宋简体"
    body = [p for p in document.paragraphs if p.style.name == "Normal" and p.text.strip()]
    assert all(east_asia(run._r) for p in body for run in p.runs)
    # Page numbers: — PAGE — in 4号 宋体, odd pages right, even pages left.
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert paragraph.alignment.name.lower() == alignment
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
        assert {east_asia(run._r) for run in paragraph.runs} == {"宋体"}
    # 落款 and 成文日期 at the end; the congress is the author.
    tail = [p.text for p in document.paragraphs if p.text.strip()][-2:]
    assert tail[0] == issuer and tail[1].endswith("日") and tail[1][:4].isdigit()
    assert document.core_properties.author == author


def test_the_layout_follows_gb_t_9704():
    document = build()
    assert_gongwen_layout(document, issuer="连心县人大常委会", author="连心县人民代表大会")
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "连人常〔2026〕12号" and texts[1] == "连心县人大常委会2026年度代表工作报告"
    assert texts[-1] == "2026年11月24日"


def test_tables_have_totals_and_numbers_do_not_wrap():
    table = build().tables[0]
    assert [c.text for c in table.rows[-1].cells] == ["合计", "120"]
    assert sum(int(row.cells[1].text) for row in table.rows[1:-1]) == 120
    number = table.rows[1].cells[1]._tc
    assert number.tcPr.find(qn("w:noWrap")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_no_document_number_without_a_prefix():
    assert word.document_number("", 12) == ""
    assert word.document_number("连人常〔2026〕", 12) == "连人常〔2026〕12号"
    texts = [p.text for p in build(doc_number="").paragraphs if p.text.strip()]
    assert texts[0] == "连心县人大常委会2026年度代表工作报告"


@pytest.mark.parametrize("day, text", [(date(2026, 1, 5), "2026年1月5日"), (date(2026, 11, 24), "2026年11月24日")])
def test_dates_are_written_in_full(day, text):
    assert word.chinese_date(day) == text
