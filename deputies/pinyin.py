"""Pinyin search keys for Chinese names: "zsl" and "zhangsanli" both find 张三丽."""

from pypinyin import lazy_pinyin

# Surnames read differently from the character's everyday reading (曾 is "zeng" as a surname,
# "ceng" elsewhere). Both readings are kept so either finds the person.
SURNAME_READINGS = {
    "曾": ["zeng"], "单": ["shan"], "仇": ["qiu"], "区": ["ou"], "解": ["xie"], "查": ["zha"],
    "朴": ["piao"], "覃": ["qin"], "乐": ["yue", "le"], "缪": ["miao"], "盖": ["ge"], "秘": ["bi"],
    "折": ["she"], "员": ["yun"], "重": ["chong"], "翟": ["zhai"], "种": ["chong"], "柏": ["bai"],
    "薄": ["bo"], "繁": ["po"], "句": ["gou"], "召": ["shao"], "祭": ["zhai"], "宓": ["fu"],
    "贲": ["ben"], "黑": ["he"], "尉": ["yu", "wei"], "眭": ["sui"], "谌": ["chen"], "哈": ["ha"],
    "纪": ["ji"], "燕": ["yan"], "洗": ["xian"], "冼": ["xian"], "万": ["wan"], "费": ["fei"],
}


def search_keys(name):
    """A space-separated string of full pinyin and initials for each reading of the name."""
    name = (name or "").strip()
    if not name:
        return ""
    common = lazy_pinyin(name, errors="ignore")
    if not common:
        return ""
    variants = []
    for surname in dict.fromkeys([common[0], *SURNAME_READINGS.get(name[0], [])]):
        syllables = [surname, *common[1:]]
        variants.append("".join(syllables))
        variants.append("".join(s[0] for s in syllables if s))
    return " ".join(dict.fromkeys(v.lower() for v in variants))
