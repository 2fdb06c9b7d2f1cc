import pytest

from deputies.pinyin import search_keys


@pytest.mark.parametrize(
    "name, term",
    [("张三丽", "zsl"), ("张三丽", "zhangsanli"), ("曾小明", "zxm"), ("曾小明", "cengxiaoming"),
     ("单田芳", "shantianfang"), ("欧阳娜娜", "oynn")],
)
def test_search_keys_hold_full_pinyin_and_initials(name, term):
    assert term in search_keys(name).split()


def test_empty_name_has_no_keys():
    assert search_keys("") == ""


def test_search_finds_by_initials_name_and_full_pinyin(db):
    from deputies.models import Deputy
    from tests.factories import DeputyFactory

    target = DeputyFactory(name="张三丽")
    DeputyFactory(name="李四")
    for term in ["zsl", "ZSL", "zhangsan", "三丽", "张"]:
        assert list(Deputy.objects.search(term)) == [target], term
