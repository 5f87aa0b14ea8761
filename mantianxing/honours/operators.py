"""Is a building's operator an independent legal person (运营机构为独立法人)? Read from its USCC.

GB 32100-2015 gives every organisation's code a registering authority (char 1) and an entity type
within it (char 2; appendix A). Whether an operator is a legal person follows from that pair:

- **Legal persons by type** (the Civil Code's 营利、非营利 and 特别法人): 11 机关, 12 事业单位,
  13 群众团体 (机构编制); 51 社会团体, 52 民办非企业单位/社会服务机构, 53 基金会 (民政); 91 企业,
  93 农民专业合作社 (市场监管). These are the criterion's default list, which the city office can
  narrow (to 91 alone, say) in the criterion's parameter.
- **Not legal persons**: 92 个体工商户; foreign and Hong Kong/Macau/Taiwan representative offices
  (21, 41, 61, 62); law firms (31, mostly partnerships); every "其他" type (x9).
- **Not decided by type** and so left out by default: religious bodies (71, 72) and grassroots
  trade unions (81), which become legal persons only on a separate registration.

Limits, stated on the rules page: a code does not tell a company (公司) from its branch (分公司),
a partnership (合伙企业) or a sole proprietorship (个人独资企业), which are 91 as well; the office
checks the business licence before it awards the title. A code that python-stdnum's
`stdnum.cn.uscc` rejects (wrong length, characters or check digit) is no operator at all; stdnum
also rejects codes issued by authorities A (军队), N (农业) and Y (其他), which begin with a letter.
"""

from __future__ import annotations

from stdnum.cn import uscc as stdnum_uscc

from mantianxing.lib.identifiers import normalize_uscc

# GB 32100-2015 appendix A: registering authority + entity type → what the entity is.
ENTITY_TYPES = {
    "11": "机关",
    "12": "事业单位",
    "13": "中央编办直接管理机构编制的群众团体",
    "19": "其他（机构编制）",
    "21": "外国常驻新闻机构",
    "29": "其他（外交）",
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他（司法行政）",
    "41": "外国在华文化中心",
    "49": "其他（文化）",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他（民政）",
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他（旅游）",
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他（宗教）",
    "81": "基层工会",
    "89": "其他（工会）",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
}
LEGAL_PERSON_TYPES = ("11", "12", "13", "51", "52", "53", "91", "93")


def entity_type(uscc: str) -> str | None:
    """The entity type (chars 1–2) of a valid USCC; None when the code is empty or invalid."""
    code = normalize_uscc(uscc or "")
    if not code or not stdnum_uscc.is_valid(code):
        return None
    return code[:2]


def entity_label(code: str) -> str:
    return f"{ENTITY_TYPES.get(code, '未知类别')}（{code}）"
